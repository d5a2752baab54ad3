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
 * from the normal run); {@code main(inputs, seed, failureDir)} runs it from a plain classpath.
 */
public final class SpecFuzzCampaign {

    private SpecFuzzCampaign() {
    }

    public static void main(String[] args) {
        long inputs = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Path failures = Path.of(args.length > 2 ? args[2] : "target/fuzz-campaign-failures");
        SpecFuzzer.Stats s = run(inputs, seed, failures);
        System.exit(s.crashes() == 0 && s.hangs() == 0 ? 0 : 1);
    }

    static SpecFuzzer.Stats run(long inputs, long seed, Path failures) {
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
        System.out.println("campaign: " + inputs + " inputs from seed " + seed + ", failures to " + failures);
        try (SpecFuzzer fuzzer = new SpecFuzzer(corpus, 60_000, 1000, failures)) {
            // Each chunk has its own seed (seed * 1_000_003 + chunk number), so any chunk replays alone.
            for (long c = 0; done < inputs; c++) {
                long n = Math.min(chunk, inputs - done);
                s = fuzzer.run(seed * 1_000_003L + c, n, Long.MAX_VALUE);
                done += n;
                if (System.nanoTime() >= nextReport || done >= inputs) {
                    report(s, start);
                    nextReport = System.nanoTime() + 30_000_000_000L;
                }
            }
            fuzzer.firstFailures().forEach(f -> System.out.println("campaign failure: " + f));
        }
        return s;
    }

    private static void report(SpecFuzzer.Stats s, long start) {
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("campaign: %d inputs, %d crashes, %d hangs, %d clean, %d generated, %.0f s, %.0f inputs/s%n",
                s.inputs(), s.crashes(), s.hangs(), s.clean(), s.generated(), secs, s.inputs() / secs);
        System.out.flush();
    }
}
