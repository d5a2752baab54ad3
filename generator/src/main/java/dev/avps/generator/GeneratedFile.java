package dev.avps.generator;

import java.nio.charset.StandardCharsets;

/**
 * A rendered file, still in memory: nothing touches the disk before every file has rendered.
 * A {@code userOwned} file is written only when absent (see {@link FileRequest#userOwned()}).
 */
public record GeneratedFile(String path, String target, String content, boolean userOwned) {

    public GeneratedFile(String path, String target, String content) {
        this(path, target, content, false);
    }

    public byte[] bytes() {
        return content.getBytes(StandardCharsets.UTF_8);
    }
}
