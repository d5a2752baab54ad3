package dev.avps.generator;

import java.util.Map;

/**
 * One file a target asks for.
 *
 * @param path     the output path relative to the output directory, with '/' separators
 * @param template the template name relative to the templates root, e.g. {@code c-linux/header.h.ftl}
 * @param data     what the template sees in addition to the variables every template gets
 */
public record FileRequest(String path, String template, Map<String, Object> data) {
}
