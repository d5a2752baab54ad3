package dev.avps.generator;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings that shape the output.
 *
 * @param cPrefix       identifier prefix of the c-portable target (its code must not collide with
 *                      Linux names when both end up in one program)
 * @param templateDir   a directory whose templates replace or add to the built-in ones, or null
 */
public record GeneratorOptions(String cPrefix, Path templateDir) {

    public static final String DEFAULT_C_PREFIX = "avps_";

    public static GeneratorOptions defaults() {
        return new GeneratorOptions(DEFAULT_C_PREFIX, null);
    }

    public GeneratorOptions withTemplateDir(Path dir) {
        return new GeneratorOptions(cPrefix, dir);
    }

    public GeneratorOptions withCPrefix(String prefix) {
        return new GeneratorOptions(prefix, templateDir);
    }

    /** The options as templates see them (under {@code options}). */
    public Map<String, Object> asTemplateData() {
        Map<String, Object> m = new TreeMap<>();
        m.put("cPrefix", cPrefix);
        return m;
    }
}
