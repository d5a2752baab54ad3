package dev.avps.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec fuzzer in the normal test run: mutations of the VIRTIO catalog and of the snippets,
 * for a fixed time (fuzz.seconds, 30 by default), first from a fixed seed (reproducible) and then
 * from a fresh seed printed in the log (so each run explores new inputs; rerun a failure with
 * -Dfuzz.seed=N). A failing input is saved under target/fuzz-failures. An input hangs when it has no
 * verdict within 60 s (generous: the machine may be busy); every fifth input that checks clean is
 * also generated for all targets.
 */
class SpecFuzzTest {

    static final long FIXED_SEED = 0x5EED_A7B5L;

    @TempDir
    Path tmp;

    @Test
    void mutatedSpecsNeverCrashHangOrBreakTheFindingFormat() {
        List<String> corpus = new ArrayList<>(SpecFuzzer.catalog(Path.of("../spec-models/src/main/avps")));
        corpus.addAll(Snippets.ALL);
        assertTrue(corpus.size() > 30, "the catalog is where the test expects it");
        long seconds = Long.getLong("fuzz.seconds", 30);
        long randomSeed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("SpecFuzzTest: fixed seed " + FIXED_SEED + ", random seed " + randomSeed);
        Path failures = Path.of("target/fuzz-failures");
        try (SpecFuzzer fuzzer = new SpecFuzzer(corpus, 60_000, 5, failures)) {
            long half = System.nanoTime() + seconds * 500_000_000L;
            fuzzer.run(FIXED_SEED, Long.MAX_VALUE, half);
            SpecFuzzer.Stats s = fuzzer.run(randomSeed, Long.MAX_VALUE, half + seconds * 500_000_000L);
            System.out.println("SpecFuzzTest: " + s.inputs() + " inputs, " + s.crashes() + " crashes, " + s.hangs()
                    + " hangs, " + s.clean() + " clean, " + s.generated() + " generated");
            assertTrue(s.inputs() >= 10, "too few inputs ran: " + s.inputs());
            assertEquals(List.of(), fuzzer.firstFailures(), "inputs saved under " + failures.toAbsolutePath());
        }
    }
}
