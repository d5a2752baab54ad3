package dev.avps.generator;

import java.util.Map;

/**
 * One file a target asks for.
 *
 * @param path     the output path relative to the output directory, with '/' separators
 * @param template the template name relative to the templates root, e.g. {@code c-linux/header.h.ftl}
 * @param data     what the template sees in addition to the variables every template gets
 * @param userOwned a starting point for hand-written code: written only while no file exists at
 *                  the path, never replaced afterwards (whatever it contains), and exempt from
 *                  the generated-marker rule
 */
public record FileRequest(String path, String template, Map<String, Object> data, boolean userOwned) {

    public FileRequest(String path, String template, Map<String, Object> data) {
        this(path, template, data, false);
    }
}
