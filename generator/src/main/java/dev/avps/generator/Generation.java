package dev.avps.generator;

import dev.avps.model.SpecModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one way from a loaded model to files on disk, shared by {@code avps generate} and the Maven
 * plugin so the two cannot drift apart: every file of every selected target is rendered in
 * memory first (a template error or a clash between targets stops the run with nothing written),
 * then sources and tests are each planned against their own root, and only when both plans hold
 * (no hand-written file in the way) are they applied.
 */
public final class Generation {

    /** The files a run produced and what writing them did, paths relative to their root. */
    public record Outcome(List<GeneratedFile> sources, List<GeneratedFile> tests, OutputWriter.Summary sourcesWritten,
            OutputWriter.Summary testsWritten) {

        public int written() {
            return sourcesWritten.written().size() + testsWritten.written().size();
        }

        public int unchanged() {
            return sourcesWritten.unchanged().size() + testsWritten.unchanged().size();
        }
    }

    /** Everything rendered, not yet written. */
    public record Rendered(List<GeneratedFile> sources, List<GeneratedFile> tests) {

        public int size() {
            return sources.size() + tests.size();
        }
    }

    private final List<Target> targets;
    private final Generator generator;

    /**
     * @param targets  the targets to run, e.g. from {@link #targets(List)}
     * @param options  prefix, package and template settings
     * @param progress receives one line per rendered file
     * @throws GenerationException when the template directory cannot be used
     */
    public Generation(List<Target> targets, GeneratorOptions options, Consumer<String> progress)
            throws GenerationException {
        this.targets = List.copyOf(targets);
        this.generator = new Generator(options, progress);
    }

    /** The built-in targets by name ({@code all} selects every one); unknown names are errors. */
    public static List<Target> targets(List<String> names) throws GenerationException {
        return TargetRegistry.builtIn().select(names);
    }

    /** Renders every file of every target in memory, split by the root each target writes to. */
    public Rendered render(SpecModel model) throws GenerationException {
        // One pass over all targets, so a path two targets both claim is caught whatever their roots.
        List<GeneratedFile> all = generator.generate(model, targets);
        Map<String, Target.Root> roots = targets.stream().collect(Collectors.toMap(Target::name, Target::root));
        List<GeneratedFile> sources = new ArrayList<>();
        List<GeneratedFile> tests = new ArrayList<>();
        for (GeneratedFile f : all) {
            (roots.get(f.target()) == Target.Root.TEST_SOURCES ? tests : sources).add(f);
        }
        return new Rendered(sources, tests);
    }

    /** Rendered files checked against their roots, ready to apply. */
    public record Planned(Rendered files, OutputWriter sourceWriter, OutputWriter.Plan sourcePlan,
            OutputWriter testWriter, OutputWriter.Plan testPlan) {
    }

    /**
     * Checks rendered files against the disk: sources under {@code sourceRoot}, tests under
     * {@code testRoot} (the same directory is fine). Nothing is written; a hand-written file in
     * the way of either set fails the whole run.
     */
    public Planned plan(Rendered files, Path sourceRoot, Path testRoot) throws GenerationException {
        OutputWriter sourceWriter = new OutputWriter(sourceRoot);
        OutputWriter testWriter = new OutputWriter(testRoot);
        return new Planned(files, sourceWriter, sourceWriter.plan(files.sources()), testWriter,
                testWriter.plan(files.tests()));
    }

    /** Writes a plan (each file atomically; only an I/O failure can stop it half way). */
    public Outcome apply(Planned p) throws GenerationException {
        return new Outcome(p.files().sources(), p.files().tests(), p.sourceWriter().apply(p.sourcePlan()),
                p.testWriter().apply(p.testPlan()));
    }

    /** {@link #plan} then {@link #apply}. */
    public Outcome write(Rendered files, Path sourceRoot, Path testRoot) throws GenerationException {
        return apply(plan(files, sourceRoot, testRoot));
    }

    /** {@link #render} then {@link #write}. */
    public Outcome run(SpecModel model, Path sourceRoot, Path testRoot) throws GenerationException {
        return write(render(model), sourceRoot, testRoot);
    }
}
