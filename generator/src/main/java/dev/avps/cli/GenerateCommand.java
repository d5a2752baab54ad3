package dev.avps.cli;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.generator.Generation;
import dev.avps.generator.GenerationException;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TargetRegistry;
import dev.avps.generator.c.CDialect;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `avps generate`: load, validate, render every file in memory, and only then write, so a broken
 * spec or template leaves the output directory exactly as it was.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate headers and documents from .avps files (directories are searched recursively).")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Spec files or directories.")
    List<Path> inputs;

    @Option(names = {"-t", "--target"}, required = true, split = ",", paramLabel = "TARGET",
            description = "Targets to generate (comma-separated or repeated): c-linux, c-portable, docs-md,"
                    + " docs-latex, docs-html, or all.")
    List<String> targets;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Option(names = "--templates", paramLabel = "DIR",
            description = "Templates that replace or add to the built-in ones (same relative names).")
    Path templates;

    @Option(names = "--c-prefix", defaultValue = GeneratorOptions.DEFAULT_C_PREFIX, paramLabel = "PREFIX",
            description = "Identifier prefix of the c-portable target (default: ${DEFAULT-VALUE}).")
    String cPrefix;

    @Option(names = "--java-package", defaultValue = GeneratorOptions.DEFAULT_JAVA_PACKAGE, paramLabel = "PACKAGE",
            description = "Package of the java targets; {device} stands for the device name (default: ${DEFAULT-VALUE}).")
    String javaPackage;

    @Option(names = {"-v", "--verbose"}, description = "One progress line per generated file on stderr.")
    boolean verbose;

    @Mixin
    SpecInputs specs;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter err = command.commandLine().getErr();
        List<Target> selected;
        try {
            selected = TargetRegistry.builtIn().select(targets);
        } catch (GenerationException e) {
            e.problems().forEach(p -> err.println("avps: " + p));
            err.flush();
            return 2;
        }
        GeneratorOptions options;
        try {
            CDialect.portable(cPrefix);
            options = GeneratorOptions.defaults().withCPrefix(cPrefix).withTemplateDir(templates);
        } catch (IllegalArgumentException e) {
            err.println("avps: error: --c-prefix: " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            dev.avps.generator.java.JavaNames.packageFor(javaPackage, "device");
            options = options.withJavaPackage(javaPackage);
        } catch (IllegalArgumentException e) {
            err.println("avps: error: --java-package: " + e.getMessage());
            err.flush();
            return 2;
        }
        long start = System.nanoTime();
        SpecLoader.Result result = specs.load(inputs);
        specs.print(result.diagnostics(), err);
        if (verbose) {
            err.println("avps: loaded " + result.roots().size() + " spec file(s) in " + millisSince(start) + " ms");
        }
        if (result.hasErrors()) {
            long errors = result.diagnostics().stream().filter(d -> d.severity() == SpecDiagnostic.Severity.ERROR)
                    .count();
            err.println("avps: " + errors + " error(s); nothing written to " + output);
            err.flush();
            return AvpsCli.SPEC_ERRORS;
        }
        Generation generation;
        Generation.Planned plan;
        try {
            generation = new Generation(selected, options, line -> {
                if (verbose) {
                    err.println(line);
                    err.flush();
                }
            });
            long renderStart = System.nanoTime();
            Generation.Rendered files = generation.render(result.model());
            if (verbose) {
                err.println("avps: rendered " + files.size() + " file(s) in " + millisSince(renderStart) + " ms");
            }
            // The CLI writes sources and tests into one output directory.
            plan = generation.plan(files, output, output);
        } catch (GenerationException e) {
            e.problems().forEach(err::println);
            err.println("avps: nothing written to " + output);
            err.flush();
            return AvpsCli.SPEC_ERRORS;
        }
        try {
            Generation.Outcome s = generation.apply(plan);
            long ms = millisSince(start);
            err.println("avps: " + result.model().devices().size() + " device(s), " + s.written()
                    + " file(s) written, " + s.unchanged() + " unchanged in " + output + " (" + ms + " ms)");
            err.flush();
            return 0;
        } catch (GenerationException e) {
            // Only an I/O failure gets here (disk full, permissions): files before it were replaced whole.
            e.problems().forEach(err::println);
            err.flush();
            return AvpsCli.SPEC_ERRORS;
        }
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
