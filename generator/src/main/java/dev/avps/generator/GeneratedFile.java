package dev.avps.generator;

import java.nio.charset.StandardCharsets;

/** A rendered file, still in memory: nothing touches the disk before every file has rendered. */
public record GeneratedFile(String path, String target, String content) {

    public byte[] bytes() {
        return content.getBytes(StandardCharsets.UTF_8);
    }
}
