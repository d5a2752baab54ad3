package dev.avps.maven;

import dev.avps.generator.GeneratorOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * What one plugin execution is asked to do, free of Maven types so it can be tested directly.
 *
 * @param specs          the directory of .avps files to generate from
 * @param library        further spec files or directories that only resolve imports
 * @param sources        where targets with sources go (target/generated-sources/avps)
 * @param testSources    where targets with tests go (target/generated-test-sources/avps)
 * @param stamp          the file that records what the last successful run saw
 * @param templates      a directory of templates that override the built-in ones, or null
 * @param javaPackage    the java targets' package; {@code {device}} stands for the device name
 */
public record GenerationSettings(Path specs, List<Path> library, Path sources, Path testSources, Path stamp,
        List<String> targets, String cPrefix, Path templates, String javaPackage) {

    /** Settings with the default Java package. */
    public GenerationSettings(Path specs, List<Path> library, Path sources, Path testSources, Path stamp,
            List<String> targets, String cPrefix, Path templates) {
        this(specs, library, sources, testSources, stamp, targets, cPrefix, templates,
                GeneratorOptions.DEFAULT_JAVA_PACKAGE);
    }
}
