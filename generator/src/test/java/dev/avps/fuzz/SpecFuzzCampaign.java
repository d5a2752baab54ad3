package dev.avps.fuzz;

import java.nio.file.Path;
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
 */
public final class SpecFuzzCampaign {

    private SpecFuzzCampaign() {
    }

    public static void main(String[] args) {
        long inputs = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Path failures = Path.of(args.length > 2 ? args[2] : "target/fuzz-campaign-failures");
        String[] share = (args.length > 3 ? args[3] : "0/1").split("/");
        SpecFuzzer.Stats s = run(inputs, seed, failures, Integer.parseInt(share[0]), Integer.parseInt(share[1]));
        System.exit(s.crashes() == 0 && s.hangs() == 0 ? 0 : 1);
    }

    static SpecFuzzer.Stats run(long inputs, long seed, Path failures) {
        return run(inputs, seed, failures, 0, 1);
    }

    /** Runs this process's share (chunks k, k + n, k + 2n, ...) of an {@code inputs}-long campaign. */
    static SpecFuzzer.Stats run(long inputs, long seed, Path failures, int k, int n) {
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
        System.out.println("campaign: " + inputs + " inputs from seed " + seed + ", share " + k + "/" + n
                + ", failures to " + failures);
        try (SpecFuzzer fuzzer = new SpecFuzzer(corpus, 60_000, 1000, failures)) {
            // Each chunk has its own seed (seed * 1_000_003 + chunk number), so any chunk replays alone.
            for (long c = 0; done < inputs; c++) {
                long size = Math.min(chunk, inputs - done);
                done += size;
                if (c % n != k) {
                    continue;
                }
                s = fuzzer.run(seed * 1_000_003L + c, size, Long.MAX_VALUE);
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
        return s == null ? fuzzerless() : s;
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
