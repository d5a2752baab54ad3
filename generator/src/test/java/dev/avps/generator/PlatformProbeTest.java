package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.avps.dsl.validation.PlatformValidator;
import dev.avps.generator.probe.ProbeView;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest probe generated for the catalog's platform: its statement table carries the model's
 * facts, it implements every check the language allows, it compiles warning-free and static, and,
 * run over a fake sysfs (AVPS_PROBE_ROOT), it judges each statement as a guest with those devices
 * would. Real guests run it in generated-devices' PlatformProbeGuestTest.
 */
class PlatformProbeTest {

    @TempDir
    static Path dir;

    static String source;
    static Path binary;

    @BeforeAll
    static void generate() throws Exception {
        SpecModel catalog = TestSpecs.model(Path.of("../spec-models/src/main/avps"));
        Path out = GenerateFixture.write(catalog, dir.resolve("gen"), "platform-probe");
        source = Files.readString(out.resolve("probe/automotive-probe.c"));
        if (CompilerRun.gccAvailable()) {
            binary = dir.resolve("avps-probe");
            CompilerRun.run(List.of("gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(),
                    out.resolve("probe/automotive-probe.c").toString()));
        }
    }

    @Test
    void theTableCarriesTheModelsFacts() {
        // blk's seg_max: 4 bytes at offset 12 (after the 8-byte capacity and 4-byte size_max), only with SEG_MAX (bit 2).
        assertTrue(source.contains("{\"blk.config.seg_max\", SHOULD, CONFIG, 2, 0, 0, 12, 4, GE, 1ULL,"), source);
        assertTrue(source.matches("(?s).*static int present_(\\d+)\\(uint64_t f\\) \\{\\s+return HAS\\(f, 2\\);.*"));
        assertTrue(source.contains("{\"blk.offer.FLUSH\", MUST, OFFER, 2, 0, 9,"), "FLUSH is bit 9");
        assertTrue(source.contains("{\"vsock.config.guest_cid\", MUST, CONFIG, 19, 0, 0, 0, 8, GE, 3ULL,"));
        assertTrue(source.contains("{\"guest_finds_entropy\", MUST, RULE, 0, 0, 0, 0, 0, EQ, 0,\n     NULL, NULL, {guest_hwrng, NULL}, NULL},"));
        assertTrue(source.contains("{\"no_legacy_only_devices\", MUST, RULE, 0, 1,"), "negated: MUST NOT");
        assertTrue(source.contains("static const char *const transports[] = {\"pci\", \"mmio\", NULL};"));
    }

    @Test
    void everyCheckTheLanguageAllowsIsImplemented() {
        for (String check : PlatformValidator.PROBE_CHECKS) {
            assertTrue(source.contains("static enum outcome " + check + "(char *detail) {"), check);
        }
    }

    @Test
    void textBecomesASafeCStringLiteral() {
        assertEquals("\"a \\\"b\\\" c\\\\d\\011e\\077\\303\\251\"", ProbeView.str("a \"b\" c\\d\te?é"));
    }

    @Test
    void overAFakeSysfsEachStatementIsJudgedAsAGuestWould() throws Exception {
        assumeTrue(binary != null, "gcc is not installed (.ci/run installs it)");
        Path root = dir.resolve("root");
        // A disk (VERSION_1, FLUSH) and an entropy device on virtio-mmio, a legacy console on ccw; no network.
        Path devices = root.resolve("sys/devices");
        device(root, devices.resolve("platform/a000.virtio_mmio/virtio0"), "virtio0", 2, 9, 32);
        device(root, devices.resolve("platform/a200.virtio_mmio/virtio1"), "virtio1", 4, 32);
        device(root, devices.resolve("css0/0.0.0003/virtio2"), "virtio2", 3);
        write(root.resolve("sys/class/misc/hw_random/rng_current"), "virtio_rng.1\n");
        write(root.resolve("dev/hwrng"), "0123456789abcdef");
        Files.createDirectories(root.resolve("sys/block/vda"));
        Files.createSymbolicLink(root.resolve("sys/block/vda/device"), devices.resolve("platform/a000.virtio_mmio/virtio0"));
        Files.write(root.resolve("dev/vda"), new byte[4096]);
        Files.createDirectories(root.resolve("sys/class/virtio-ports/vport2p0"));
        write(root.resolve("dev/hvc0"), "");
        Files.createDirectories(root.resolve("sys/class/net/lo"));

        ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true);
        pb.environment().put("AVPS_PROBE_ROOT", root.toString());
        Process run = pb.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, run.exitValue(), "a MUST statement fails (no network): " + out);
        Map<String, String> v = new LinkedHashMap<>();
        out.lines().filter(l -> l.startsWith("AVPS-VERDICT\t")).forEach(l -> {
            String[] f = l.split("\t", 4);
            v.put(f[1], f[2] + "\t" + f[3]);
        });
        assertTrue(out.startsWith("AVPS-PROBE\tautomotive\t0.1\t3 virtio device(s)\n"), out);
        assertTrue(out.endsWith("AVPS-SUMMARY\tautomotive\tguest\tfail\n"), out);
        assertEquals("fail\tvirtio2 is on ccw", v.get("automotive.transport"));
        assertEquals("pass\tvirtio0 (mmio)", v.get("blk.present"));
        assertEquals("pass\tvirtio0 negotiated bit 9", v.get("blk.offer.FLUSH"));
        assertEquals("skip\tvirtio0 (mmio): bit 2 not negotiated; offered bits are not visible on this transport",
                v.get("blk.offer.SEG_MAX"));
        assertEquals("fail\tvirtio0: the field exists only when SEG_MAX, which it does not negotiate",
                v.get("blk.config.seg_max"));
        assertEquals("skip\tvirtio0 (mmio): queue count not visible here", v.get("blk.queues"));
        assertEquals("fail\tno virtio device with ID 1", v.get("net.present"));
        assertEquals("skip\tdevice absent", v.get("net.offer.MAC"));
        assertEquals("pass\tvirtio2 (ccw)", v.get("console.present"));
        assertEquals("pass\tvirtio_rng.1 gave 16 bytes", v.get("guest_finds_entropy"));
        assertTrue(v.get("guest_reads_block").startsWith("pass\t"), v.get("guest_reads_block"));
        assertEquals("fail\tno interface bound to virtio_net", v.get("guest_has_network"));
        assertEquals("pass\t1 port(s); /dev/hvc0 opens", v.get("guest_has_console_port"));
        assertEquals("skip\ta build configuration, not something a running guest or backend shows",
                v.get("console_switchable"));
        assertEquals("fail\tvirtio2 (ID 3) runs without VERSION_1", v.get("no_legacy_only_devices"));
        assertEquals(TestSpecs.model(Path.of("../spec-models/src/main/avps")).platforms().get(0).statements().size(),
                v.size(), "one verdict per statement");
    }

    /** virtioN under the bus, linked to its transport's device directory, with the given negotiated bits. */
    private static void device(Path root, Path real, String name, int id, int... bits) throws IOException {
        Files.createDirectories(real);
        write(real.resolve("device"), String.format("0x%04x\n", id));
        char[] features = "0".repeat(64).toCharArray();
        for (int b : bits) {
            features[b] = '1';
        }
        write(real.resolve("features"), new String(features) + "\n");
        Path bus = root.resolve("sys/bus/virtio/devices");
        Files.createDirectories(bus);
        Files.createSymbolicLink(bus.resolve(name), real);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
