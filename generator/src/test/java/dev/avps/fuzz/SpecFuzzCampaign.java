package dev.avps.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-demand campaign: millions of mutated snippets (and catalog files, one in a hundred)
 * through the checker, with progress every 30 s on stdout.
 *
 * <pre>
 * ./mvnw -B -pl generator -am verify -Pfuzz -Dfuzz.inputs=10000000 -Dfuzz.seed=1
 * </pre>
 * runs it as the JUnit test {@code SpecFuzzCampaignTest} (tag {@code fuzz-campaign}, excluded
 * from the normal run); {@code main(inputs, seed, failureDir[, k/n])} runs it from a plain
 * classpath. Inputs come in chunks of 10,000, each from its own seed ({@code seed * 1_000_003 +
 * chunk}); with {@code k/n} this process runs only the chunks whose number is k modulo n, so n
 * processes started with 0/n .. n-1/n together run exactly the inputs one process would
 * ({@code generator/bench/fuzz-campaign.sh} starts them).
 *
 * <p>With a state file as fifth argument a share survives being stopped: after every chunk the
 * process rewrites the file (atomically) with the campaign's identity, how many of its chunks are
 * done and its running totals; started again with the same file, it skips the chunks already
 * done and adds to the totals. Since every chunk replays from its own seed, a campaign run in
 * several sittings checks exactly the inputs of one run. The identity names the inputs, seed,
 * share and a build string given by the caller, and a resume under any other identity is refused.
 */
public final class SpecFuzzCampaign {

    private SpecFuzzCampaign() {
    }

    public static void main(String[] args) {
        long inputs = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Path failures = Path.of(args.length > 2 ? args[2] : "target/fuzz-campaign-failures");
        String[] share = (args.length > 3 ? args[3] : "0/1").split("/");
        int k = Integer.parseInt(share[0]);
        int n = Integer.parseInt(share[1]);
        Path state = args.length > 4 ? Path.of(args[4]) : null;
        String build = args.length > 5 ? args[5] : "unnamed";
        SpecFuzzer.Stats s = state == null ? run(inputs, seed, failures, k, n)
                : run(inputs, seed, failures, k, n, new Resume(state, inputs + " " + seed + " " + k + "/" + n + " " + build));
        System.exit(s.crashes() == 0 && s.hangs() == 0 ? 0 : 1);
    }

    static SpecFuzzer.Stats run(long inputs, long seed, Path failures) {
        return run(inputs, seed, failures, 0, 1);
    }

    /** Runs this process's share (chunks k, k + n, k + 2n, ...) of an {@code inputs}-long campaign. */
    static SpecFuzzer.Stats run(long inputs, long seed, Path failures, int k, int n) {
        return run(inputs, seed, failures, k, n, null);
    }

    /**
     * As {@link #run(long, long, Path, int, int)}, resuming from and recording to {@code resume}
     * (null: no state). The returned stats are the share's totals over every sitting.
     */
    static SpecFuzzer.Stats run(long inputs, long seed, Path failures, int k, int n, Resume resume) {
        if (n < 1 || k < 0 || k >= n) {
            throw new IllegalArgumentException("share " + k + "/" + n + ": need 0 <= k < n");
        }
        List<String> corpus = new ArrayList<>();
        // Snippets weigh 99 to 1 against all catalog files together: they check ~50x faster.
        List<String> catalog = SpecFuzzer.catalog(Path.of("../spec-models/src/main/avps"));
        for (int i = 0; i < 99 * catalog.size() / Snippets.ALL.size(); i++) {
            corpus.addAll(Snippets.ALL);
        }
        corpus.addAll(catalog);
        long start = System.nanoTime();
        long chunk = 10_000;
        long done = 0;
        long nextReport = start;
        SpecFuzzer.Stats s = null;
        SpecFuzzer.Stats before = resume == null ? fuzzerless() : resume.load();
        long skip = resume == null ? 0 : resume.chunksDone();
        System.out.println("campaign: " + inputs + " inputs from seed " + seed + ", share " + k + "/" + n
                + ", failures to " + failures + (skip > 0 ? ", resuming after " + skip + " chunks of this share ("
                + before.inputs() + " inputs)" : ""));
        long own = 0;
        try (SpecFuzzer fuzzer = new SpecFuzzer(corpus, 60_000, 1000, failures)) {
            // Each chunk has its own seed (seed * 1_000_003 + chunk number), so any chunk replays alone.
            for (long c = 0; done < inputs; c++) {
                long size = Math.min(chunk, inputs - done);
                done += size;
                if (c % n != k || own++ < skip) {
                    continue;
                }
                s = fuzzer.run(seed * 1_000_003L + c, size, Long.MAX_VALUE);
                if (resume != null) {
                    SpecFuzzer.Stats sitting = new SpecFuzzer.Stats(s.inputs(), s.crashes(), s.hangs(), s.clean(),
                            s.generated(), System.nanoTime() - start);
                    resume.save(own, plus(before, sitting));
                }
                if (System.nanoTime() >= nextReport) {
                    report(s, start);
                    nextReport = System.nanoTime() + 30_000_000_000L;
                }
            }
            if (s != null) {
                report(s, start);
            }
            fuzzer.firstFailures().forEach(f -> System.out.println("campaign failure: " + f));
        }
        SpecFuzzer.Stats total = plus(before, s == null ? fuzzerless() : s);
        if (resume != null) {
            System.out.printf("campaign share total: %d inputs, %d crashes, %d hangs over every sitting%n",
                    total.inputs(), total.crashes(), total.hangs());
        }
        return total;
    }

    private static SpecFuzzer.Stats plus(SpecFuzzer.Stats a, SpecFuzzer.Stats b) {
        return new SpecFuzzer.Stats(a.inputs() + b.inputs(), a.crashes() + b.crashes(), a.hangs() + b.hangs(),
                a.clean() + b.clean(), a.generated() + b.generated(), a.nanos() + b.nanos());
    }

    /**
     * One share's state file: a line {@code identity}, then {@code chunks inputs crashes hangs clean
     * generated nanos}. Written to a sibling and moved into place, so a stop mid-write leaves the
     * previous state.
     */
    record Resume(Path file, String identity) {

        private static final String HEADER = "avps spec fuzz campaign ";

        /** The totals recorded so far (zeros for a new file); refuses another campaign's file. */
        SpecFuzzer.Stats load() {
            long[] v = values();
            return new SpecFuzzer.Stats(v[1], v[2], v[3], v[4], v[5], v[6]);
        }

        long chunksDone() {
            return values()[0];
        }

        private long[] values() {
            if (!Files.exists(file)) {
                return new long[7];
            }
            try {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() != 2 || !lines.get(0).equals(HEADER + identity)) {
                    throw new IllegalStateException(file + " records another campaign ("
                            + (lines.isEmpty() ? "empty" : lines.get(0)) + "), not " + HEADER + identity);
                }
                String[] f = lines.get(1).trim().split(" ");
                long[] v = new long[7];
                for (int i = 0; i < 7; i++) {
                    v[i] = Long.parseLong(f[i]);
                }
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void save(long chunks, SpecFuzzer.Stats s) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                Files.writeString(tmp, HEADER + identity + "\n" + chunks + " " + s.inputs() + " " + s.crashes() + " "
                        + s.hangs() + " " + s.clean() + " " + s.generated() + " " + s.nanos() + "\n");
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The stats of a share that got no chunk (more processes than chunks). */
    private static SpecFuzzer.Stats fuzzerless() {
        return new SpecFuzzer.Stats(0, 0, 0, 0, 0, 0);
    }

    private static void report(SpecFuzzer.Stats s, long start) {
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("campaign: %d inputs, %d crashes, %d hangs, %d clean, %d generated, %.0f s, %.0f inputs/s%n",
                s.inputs(), s.crashes(), s.hangs(), s.clean(), s.generated(), secs, s.inputs() / secs);
        System.out.flush();
    }
}
