package dev.avps.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign stopped and started again runs each chunk once and keeps its totals. */
class CampaignResumeTest {

    @Test
    void aSecondSittingSkipsTheChunksDoneAndKeepsTheTotals(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state-0");
        SpecFuzzCampaign.Resume resume = new SpecFuzzCampaign.Resume(state, "25 7 0/1 test");
        SpecFuzzer.Stats first = SpecFuzzCampaign.run(25, 7, dir.resolve("failures"), 0, 1, resume);
        assertEquals(25, first.inputs());
        assertEquals(1, resume.chunksDone(), Files.readString(state));
        SpecFuzzer.Stats again = SpecFuzzCampaign.run(25, 7, dir.resolve("failures"), 0, 1, resume);
        assertEquals(25, again.inputs(), "the finished chunk must not run a second time");
        assertEquals(first.clean(), again.clean());
        assertTrue(Files.readString(state).startsWith("avps spec fuzz campaign 25 7 0/1 test\n"));
    }

    @Test
    void anotherCampaignsStateIsRefused(@TempDir Path dir) {
        Path state = dir.resolve("state-0");
        new SpecFuzzCampaign.Resume(state, "25 7 0/1 test").save(1, new SpecFuzzer.Stats(25, 0, 0, 1, 0, 5));
        SpecFuzzCampaign.Resume other = new SpecFuzzCampaign.Resume(state, "25 8 0/1 test");
        IllegalStateException e = assertThrows(IllegalStateException.class, other::chunksDone);
        assertTrue(e.getMessage().contains("records another campaign"), e.getMessage());
    }
}
