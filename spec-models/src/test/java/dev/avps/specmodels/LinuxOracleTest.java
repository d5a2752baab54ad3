package dev.avps.specmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every device Linux has a header for, checked by gcc against that header. */
class LinuxOracleTest {

    private static final String NO_GCC =
            "gcc or /usr/include/linux/virtio_blk.h is missing: install gcc and linux-libc-dev to run the Linux oracle";

    private static List<LinuxOracle.Report> reports;
    private static LinuxOracle.Allowlist allow;

    @BeforeAll
    static void runOracle() {
        allow = LinuxOracle.Allowlist.read();
        if (LinuxOracle.available()) {
            reports = Catalog.oracle();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDeviceMatchesLinux() {
        assumeTrue(reports != null, NO_GCC);
        return reports.stream().map(rep -> DynamicTest.dynamicTest(rep.name() + " vs " + rep.header(), () -> {
            assertTrue(rep.failures().isEmpty(), () -> rep.name() + ": gcc rejected "
                    + rep.failures() + "\n(generated C: " + rep.cFile() + ")");
            assertTrue(rep.unexplained(allow).isEmpty(), () -> rep.name()
                    + ": differences from Linux not in " + LinuxOracle.ALLOWLIST + ":\n"
                    + String.join("\n", rep.unexplained(allow).stream().map(d -> d.key() + " -- ?").toList()));
            // A Linux header the catalog does not generate at all has no fact to assert (allow-listed).
            assertTrue(rep.asserts() > 0 || rep.differences().stream().anyMatch(d -> d.kind().equals("header-missing")),
                    rep.name() + ": nothing compared");
        }));
    }

    @Test
    void allowlistIsWellFormedAndCurrent() {
        assertEquals(List.of(), allow.malformed(), "allow-list lines need `device kind subject -- reason`");
        assumeTrue(reports != null, NO_GCC);
        Set<String> used = new TreeSet<>();
        reports.forEach(rep -> rep.differences().forEach(d -> used.add(d.key())));
        Set<String> stale = new TreeSet<>(allow.keys());
        stale.removeAll(used);
        assertEquals(Set.of(), stale, "allow-list entries that no longer match a difference: remove them");
    }

    @Test
    void aMutatedBitFailsTheOracle(@TempDir Path dir) throws IOException {
        assumeTrue(reports != null, NO_GCC);
        LinuxOracle.Report rep = mutate(dir, "bit 1 SIZE_MAX;", "bit 3 SIZE_MAX;");
        assertTrue(rep.failures().contains("blk|feature|SIZE_MAX"), () -> "expected the bit to fail: " + rep.failures());
    }

    @Test
    void aMutatedOffsetFailsTheOracle(@TempDir Path dir) throws IOException {
        assumeTrue(reports != null, NO_GCC);
        // seg_max grows from 4 to 8 bytes: every later field of the config moves.
        LinuxOracle.Report rep = mutate(dir, "virtio32 seg_max when SEG_MAX;", "virtio64 seg_max when SEG_MAX;");
        assertTrue(rep.failures().contains("blk|virtio_blk_config.seg_max|size"), () -> "" + rep.failures());
        assertTrue(rep.failures().contains("blk|virtio_blk_config.blk_size|offset"), () -> "" + rep.failures());
        assertFalse(rep.passes(allow));
    }

    /** The header-facts oracle judges generated text: a renumbered bit in the spec shows up as a Linux fact it breaks. */
    @Test
    void aMutatedBitFailsTheHeaderFacts(@TempDir Path dir) throws IOException {
        assumeTrue(reports != null, NO_GCC);
        Path copy = dir.resolve("blk.avps");
        Files.writeString(copy, Files.readString(Catalog.SPECS.resolve("virtio/blk.avps"))
                .replace("bit 1 SIZE_MAX;", "bit 3 SIZE_MAX;"));
        SpecLoader.Result r = Catalog.load(List.of(copy));
        assertFalse(r.hasErrors(), () -> "mutated copy does not load: " + r.diagnostics());
        LinuxOracle.Report blk = HeaderFacts.check(r.model(), dir.resolve("facts")).stream()
                .filter(rep -> rep.name().equals("virtio_blk.h")).findFirst().orElseThrow();
        assertTrue(blk.unexplained(allow).contains(
                new LinuxOracle.Difference("virtio_blk.h", "value-differs", "macro:VIRTIO_BLK_F_SIZE_MAX")),
                () -> "" + blk.differences());
        assertFalse(blk.passes(allow));
    }

    private static LinuxOracle.Report mutate(Path dir, String from, String to) throws IOException {
        Path original = Catalog.SPECS.resolve("virtio/blk.avps");
        String text = Files.readString(original);
        assertTrue(text.contains(from), "the mutation target moved: " + from);
        Path copy = dir.resolve("blk.avps");
        Files.writeString(copy, text.replace(from, to));
        SpecLoader.Result r = Catalog.load(List.of(copy));
        assertFalse(r.hasErrors(), () -> "mutated copy does not load: " + r.diagnostics());
        DeviceModel blk = r.model().devices().get(0);
        return LinuxOracle.check(blk, Files.createDirectories(dir.resolve("c")));
    }
}
