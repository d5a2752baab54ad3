package dev.avps.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The campaign as a test, for {@code -Pfuzz} (see {@link SpecFuzzCampaign}); not in the normal run. */
@Tag("fuzz-campaign")
class SpecFuzzCampaignTest {

    @Test
    void campaign() {
        long inputs = Long.getLong("fuzz.inputs", 1_000_000);
        long seed = Long.getLong("fuzz.seed", 1);
        SpecFuzzer.Stats s = SpecFuzzCampaign.run(inputs, seed, Path.of("target/fuzz-campaign-failures"));
        assertEquals(inputs, s.inputs());
        assertEquals(0, s.crashes(), "crashes, saved under target/fuzz-campaign-failures");
        assertEquals(0, s.hangs(), "hangs, saved under target/fuzz-campaign-failures");
    }
}
