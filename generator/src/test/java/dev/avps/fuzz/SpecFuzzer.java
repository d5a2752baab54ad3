package dev.avps.fuzz;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.generator.GenerationException;
import dev.avps.generator.Generator;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TargetRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Feeds mutated specs to the checker (and the generators, for those that check clean) and keeps
 * the invariants the CLI promises:
 * <ul>
 * <li>no exception escapes, and no finding is an internal error: the exit status would be 0 or 1;
 * <li>no input takes longer than the per-input timeout (a hang), counted in time the process was
 *     running ({@link AwakeClock}), so a stopped campaign worker reports no false hang;
 * <li>every finding prints as one {@code file:line:col: severity: message} line, with no control
 *     character, a line within the input and a column of at least 1;
 * <li>a spec that checks clean generates every target without error.
 * </ul>
 * Failing inputs are written to {@code failures} for replay.
 */
final class SpecFuzzer implements AutoCloseable {

    static final String SHOWN = "fuzz.avps";
    private static final Pattern LINE = Pattern.compile(
            Pattern.quote(SHOWN) + ":[1-9][0-9]*:[1-9][0-9]*: (error|warning|info): [^\\x00-\\x1F\\x7F\\u2028\\u2029]*");

    record Stats(long inputs, long crashes, long hangs, long clean, long generated, long nanos) {
    }

    private final List<String> corpus;
    private final long timeoutMillis;
    private final int generateEvery;
    private final Path failures;
    private final List<Target> targets;
    private ExecutorService worker = newWorker();
    private SpecLoader loader;
    private long inputs;
    private long crashes;
    private long hangs;
    private long clean;
    private long generated;
    private final List<String> firstFailures = new ArrayList<>();

    /**
     * @param generateEvery generate every n-th input that checks clean (generation costs far more
     *                      than checking; 1 generates them all, 0 none)
     */
    SpecFuzzer(List<String> corpus, long timeoutMillis, int generateEvery, Path failures) {
        this.corpus = corpus;
        this.timeoutMillis = timeoutMillis;
        this.generateEvery = generateEvery;
        this.failures = failures;
        try {
            this.targets = TargetRegistry.builtIn().select(List.of(TargetRegistry.ALL));
        } catch (GenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spec-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates the loader and runs one clean check and generation on the worker, untimed: creating
     * the injector and loading classes takes seconds on a busy machine and is no hang of any input.
     */
    private void warmUp() {
        try {
            worker.submit(() -> verdict(Snippets.ALL.get(0))).get();
            clean = 0;
            generated = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the fuzzer's warm-up failed", e.getCause());
        }
    }

    /** Runs inputs from one seed until {@code count} inputs or the deadline, whichever comes first. */
    Stats run(long seed, long count, long deadlineNanos) {
        if (loader == null) {
            warmUp();
        }
        SplittableRandom random = new SplittableRandom(seed);
        SpecMutator mutator = new SpecMutator(random);
        long start = System.nanoTime();
        for (long i = 0; i < count && System.nanoTime() < deadlineNanos; i++) {
            String base = corpus.get(random.nextInt(corpus.size()));
            one(mutator.mutate(base), seed, i);
        }
        return new Stats(inputs, crashes, hangs, clean, generated, System.nanoTime() - start);
    }

    Stats stats() {
        return new Stats(inputs, crashes, hangs, clean, generated, 0);
    }

    List<String> firstFailures() {
        return firstFailures;
    }

    private void one(String text, long seed, long index) {
        inputs++;
        Future<String> verdict = worker.submit(() -> verdict(text));
        String problem;
        try {
            problem = AwakeClock.system().await(verdict, timeoutMillis);
        } catch (TimeoutException e) {
            hangs++;
            verdict.cancel(true);
            // The stuck thread may never return: abandon it (daemon) and its loader.
            worker.shutdownNow();
            worker = newWorker();
            loader = null;
            record("hang", "no verdict within " + timeoutMillis + " ms of running time", text, seed, index);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            problem = "exception escaped: " + e.getCause();
        }
        if (problem != null) {
            crashes++;
            record("crash", problem, text, seed, index);
        }
    }

    /** Null when every invariant holds, else what broke. */
    private String verdict(String text) {
        if (loader == null) {
            loader = SpecLoader.create();
        }
        SpecLoader.Result r = loader.checkText(SHOWN, text);
        if (r.hasInternalErrors()) {
            return "internal error (exit 3): " + r.diagnostics().stream()
                    .filter(d -> "dev.avps.internal".equals(d.code())).findFirst().orElseThrow();
        }
        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        for (SpecDiagnostic d : r.diagnostics()) {
            String line = d.toString();
            if (!LINE.matcher(line).matches()) {
                return "finding not in file:line:col: severity: message form: " + line;
            }
            if (d.line() > lines) {
                return "finding on line " + d.line() + " of a " + lines + "-line input: " + line;
            }
        }
        if (!r.hasErrors()) {
            clean++;
            if (r.model() == null) {
                return "clean check without a model";
            }
            if (generateEvery > 0 && clean % generateEvery == 0) {
                generated++;
                try {
                    new Generator(GeneratorOptions.defaults(), s -> { }).generate(r.model(), targets);
                } catch (GenerationException e) {
                    return "clean spec failed to generate: " + e.problems();
                }
            }
        }
        return null;
    }

    private void record(String kind, String problem, String text, long seed, long index) {
        String name = kind + "-" + seed + "-" + index;
        if (firstFailures.size() < 20) {
            firstFailures.add(name + ": " + problem.substring(0, Math.min(problem.length(), 500)));
        }
        if (failures == null) {
            return;
        }
        try {
            Files.createDirectories(failures);
            Files.writeString(failures.resolve(name + ".avps"), text, StandardCharsets.UTF_8);
            Files.writeString(failures.resolve(name + ".txt"), problem + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** The catalog's spec files, as the corpus to mutate. */
    static List<String> catalog(Path dir) {
        List<String> out = new ArrayList<>();
        for (Path p : SpecLoader.specsUnder(dir)) {
            try {
                out.add(Files.readString(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
