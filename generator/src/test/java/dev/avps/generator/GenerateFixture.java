package dev.avps.generator;

import dev.avps.model.SpecModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Renders targets of a model straight into a directory, without the CLI. */
public final class GenerateFixture {

    private GenerateFixture() {
    }

    public static List<GeneratedFile> render(SpecModel model, GeneratorOptions options, String... targets)
            throws GenerationException {
        return new Generator(options, line -> { }).generate(model, TargetRegistry.builtIn().select(List.of(targets)));
    }

    public static Path write(SpecModel model, Path out, String... targets) throws GenerationException, IOException {
        new OutputWriter(out).write(render(model, GeneratorOptions.defaults(), targets));
        return out;
    }

    /** The one rendered file whose path ends with the suffix. */
    public static String file(List<GeneratedFile> files, String suffix) {
        return files.stream().filter(f -> f.path().endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + suffix + " in " + files.stream().map(GeneratedFile::path)
                        .toList()))
                .content();
    }
}
