package dev.avps.maven;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.generator.GeneratedFile;
import dev.avps.generator.Generation;
import dev.avps.generator.GenerationException;
import dev.avps.generator.Generator;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.OutputWriter;
import dev.avps.generator.Target;
import dev.avps.generator.c.CDialect;
import dev.avps.generator.java.JavaNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The plugin's work without Maven: skip when the inputs are what the stamp recorded, else load,
 * validate, generate and write, sources and tests into their own directories.
 */
public final class GenerationRun {

    /** What happened; {@code upToDate} means nothing was loaded or written. */
    public record Outcome(boolean upToDate, List<String> written, List<String> unchanged, List<String> warnings) {
    }

    /**
     * What identifies the generator in the fingerprint: the bytes of the generator and language
     * jars, so a rebuilt SNAPSHOT (same version, new templates) regenerates too.
     */
    static final String GENERATOR_VERSION = identity(Generator.class) + "+" + identity(dev.avps.dsl.load.SpecLoader.class);

    private final GenerationSettings settings;
    private final Consumer<String> log;

    public GenerationRun(GenerationSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Runs the generation.
     *
     * @throws GenerationException with {@code file:line:col: error: message} lines when a spec,
     *                             template or output file is wrong; nothing is written then
     */
    public Outcome run() throws GenerationException {
        List<Target> targets = Generation.targets(settings.targets());
        GeneratorOptions options = options(settings);
        String fingerprint = InputFingerprint.of(settings, GENERATOR_VERSION);
        if (upToDate(fingerprint)) {
            return new Outcome(true, List.of(), List.of(), List.of());
        }
        List<Path> inputs = Files.isDirectory(settings.specs()) ? SpecLoader.specsUnder(settings.specs()) : List.of();
        if (inputs.isEmpty()) {
            log.accept("avps: no .avps files in " + settings.specs());
        }
        SpecLoader.Result result = SpecLoader.create().load(inputs, settings.library());
        List<String> warnings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (SpecDiagnostic d : result.diagnostics()) {
            (d.severity() == SpecDiagnostic.Severity.ERROR ? errors : warnings).add(d.toString());
        }
        if (!errors.isEmpty()) {
            throw new GenerationException(errors);
        }
        // The same front door as `avps generate`: render everything, plan both roots, then write.
        Generation.Outcome out = new Generation(targets, options, line -> { })
                .run(result.model(), settings.sources(), settings.testSources());
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> all = new ArrayList<>();
        record(settings.sources(), out.sourcesWritten(), out.sources(), written, unchanged, all);
        record(settings.testSources(), out.testsWritten(), out.tests(), written, unchanged, all);
        writeStamp(fingerprint, all);
        return new Outcome(false, written, unchanged, warnings);
    }

    /** The generator options of the settings; a bad prefix or package is a configuration error. */
    static GeneratorOptions options(GenerationSettings settings) throws GenerationException {
        try {
            CDialect.portable(settings.cPrefix());
            JavaNames.packageFor(settings.javaPackage(), "device");
        } catch (IllegalArgumentException e) {
            throw new GenerationException("avps: error: " + e.getMessage());
        }
        return GeneratorOptions.defaults().withCPrefix(settings.cPrefix()).withTemplateDir(settings.templates())
                .withJavaPackage(settings.javaPackage());
    }

    private static void record(Path dir, OutputWriter.Summary s, List<GeneratedFile> files, List<String> written,
            List<String> unchanged, List<String> all) {
        s.written().forEach(p -> written.add(dir.resolve(p).toString()));
        s.unchanged().forEach(p -> unchanged.add(dir.resolve(p).toString()));
        files.forEach(f -> all.add(dir.resolve(f.path()).toString()));
    }

    /** Up to date when the fingerprint matches and every file the last run produced is still there. */
    private boolean upToDate(String fingerprint) {
        Path stamp = settings.stamp();
        if (!Files.isRegularFile(stamp)) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(fingerprint)) {
                return false;
            }
            return lines.stream().skip(1).allMatch(p -> Files.isRegularFile(Path.of(p)));
        } catch (IOException e) {
            return false;
        }
    }

    private void writeStamp(String fingerprint, List<String> files) throws GenerationException {
        try {
            Files.createDirectories(settings.stamp().getParent());
            List<String> lines = new ArrayList<>();
            lines.add(fingerprint);
            lines.addAll(files);
            Files.write(settings.stamp(), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GenerationException(settings.stamp() + ": error: cannot write the stamp: " + e.getMessage());
        }
    }

    /** A digest of the jar a class comes from, or its version when it runs from a directory. */
    static String identity(Class<?> type) {
        try {
            java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
            Path where = source == null ? null : Path.of(source.getLocation().toURI());
            if (where != null && Files.isRegularFile(where)) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                try (java.io.InputStream in = Files.newInputStream(where)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
                return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
            }
        } catch (java.io.IOException | java.net.URISyntaxException | java.security.NoSuchAlgorithmException
                | RuntimeException e) {
            // fall back to the version: still right across releases
        }
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
