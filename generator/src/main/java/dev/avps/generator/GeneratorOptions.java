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
 * @param javaPackage   the package of the java targets; {@code {device}} stands for the device name
 */
public record GeneratorOptions(String cPrefix, Path templateDir, String javaPackage) {

    public static final String DEFAULT_C_PREFIX = "avps_";

    /** The java targets' default package pattern. */
    public static final String DEFAULT_JAVA_PACKAGE = "dev.avps.generated.{device}";

    public GeneratorOptions(String cPrefix, Path templateDir) {
        this(cPrefix, templateDir, DEFAULT_JAVA_PACKAGE);
    }

    public static GeneratorOptions defaults() {
        return new GeneratorOptions(DEFAULT_C_PREFIX, null, DEFAULT_JAVA_PACKAGE);
    }

    public GeneratorOptions withTemplateDir(Path dir) {
        return new GeneratorOptions(cPrefix, dir, javaPackage);
    }

    public GeneratorOptions withCPrefix(String prefix) {
        return new GeneratorOptions(prefix, templateDir, javaPackage);
    }

    public GeneratorOptions withJavaPackage(String pattern) {
        return new GeneratorOptions(cPrefix, templateDir, pattern);
    }

    /** The options as templates see them (under {@code options}). */
    public Map<String, Object> asTemplateData() {
        Map<String, Object> m = new TreeMap<>();
        m.put("cPrefix", cPrefix);
        m.put("javaPackage", javaPackage);
        return m;
    }
}
