package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.platform.HostPlatformCheck;
import dev.avps.conform.platform.PlatformSource;
import dev.avps.conform.platform.UsageError;
import dev.avps.conform.platform.Verdicts;
import dev.avps.model.Verdict;
import dev.avps.model.Verdict.Outcome;
import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.rng.RngDevice;
import dev.avps.model.PlatformModel;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platform mode from the host side: our blk and rng served in-process, judged against a small
 * platform written here (and against the shipped automotive one); broken variants fail exactly
 * the statement they break; the verdict lines read back; usage errors name what is wrong.
 */
class PlatformHostTest {
    /** A platform over blk, rng and gpio (MAY, never served); the test catalog also has i2c, which it does not list. */
    private static final String BENCH = """
            package platform.bench;

            import virtio.blk.*;
            import virtio.rng.*;
            import virtio.gpio.*;

            /** A small platform for the host checks' tests. */
            platform bench {
                version "1";
                transports mmio;
                device blk MUST {
                    MUST offer VERSION_1;
                    MUST offer FLUSH;
                    MUST NOT offer RO;
                    MUST offer SEG_MAX;
                    MUST config seg_max >= 2;
                    MUST config capacity >= 16384;
                    SHOULD config max_discard_sectors >= 1;
                    MUST queues >= 1;
                    SHOULD queue size >= 128;
                }
                device rng MUST {
                    MUST offer VERSION_1;
                }
                device gpio MAY;
                requirement guest_reads_block MUST "give the guest a disk whose first sector it can read."
                    checked by guest_block_read;
                requirement built_without_rng MAY "be built without the entropy device."
                    not checkable "a build option, which no running system shows";
            }
            """;

    @TempDir
    static Path catalog;

    @TempDir
    Path dir;

    private static PlatformSource.Loaded bench;

    @BeforeAll
    static void writeCatalog() throws Exception {
        for (String device : List.of("blk", "rng", "gpio", "i2c")) {
            Path to = catalog.resolve("virtio").resolve(device + ".avps");
            Files.createDirectories(to.getParent());
            try (InputStream in = PlatformHostTest.class.getClassLoader()
                    .getResourceAsStream("avps/virtio/" + device + ".avps")) {
                Files.copy(in, to);
            }
        }
        Files.createDirectories(catalog.resolve("platform"));
        Files.writeString(catalog.resolve("platform/bench.avps"), BENCH);
        bench = PlatformSource.load("bench", catalog);
    }

    private BlkDevice blk(boolean readOnly) throws IOException {
        return new BlkDevice(Backends.image(dir, "disk-" + readOnly + ".img", 16), readOnly, "avps-platform");
    }

    /** Serves blk (when given) and rng, and judges bench with their sockets. */
    private HostPlatformCheck.Result judge(PlatformSource.Loaded platform, VirtioDevice blk) throws Exception {
        try (VhostUserServer rng = VhostUserServer.start(dir.resolve("rng.sock"), new RngDevice());
                VhostUserServer disk = blk == null ? null : VhostUserServer.start(dir.resolve("blk.sock"), blk)) {
            Map<String, Path> sockets = new LinkedHashMap<>();
            if (disk != null) {
                sockets.put("blk", disk.path());
            }
            sockets.put("rng", rng.path());
            return HostPlatformCheck.run(platform, sockets, 2_000);
        }
    }

    private static Set<String> ids(HostPlatformCheck.Result r, Outcome o) {
        return r.lines().stream().filter(l -> l.outcome() == o).map(Verdict::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Verdict line(HostPlatformCheck.Result r, String id) {
        return r.lines().stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @Test
    void ourBlkAndRngPassWhatTheHostSeesAndTheMissingGpioFails() throws Exception {
        try (BlkDevice disk = blk(false)) {
            HostPlatformCheck.Result r = judge(bench, disk);
            assertEquals(bench.platform().statements().stream().map(PlatformModel.Statement::id).toList(),
                    r.lines().stream().map(Verdict::id).toList(), "one verdict per statement, in the platform's order");
            assertEquals(Set.of("gpio.present"), ids(r, Outcome.FAIL), r.lines().toString());
            assertEquals(new TreeSet<>(List.of("blk.present", "blk.offer.VERSION_1", "blk.offer.FLUSH", "blk.offer.RO",
                    "blk.offer.SEG_MAX", "blk.config.seg_max", "blk.config.capacity", "blk.config.max_discard_sectors",
                    "blk.queues", "rng.present", "rng.offer.VERSION_1")), ids(r, Outcome.PASS), r.lines().toString());
            assertEquals(new TreeSet<>(List.of("bench.transport", "blk.queue_size", "guest_reads_block",
                    "built_without_rng")), ids(r, Outcome.SKIP));
            assertEquals("no backend socket in this configuration", line(r, "gpio.present").detail());
            assertTrue(line(r, "blk.config.seg_max").detail().startsWith("seg_max = 126 (>= 2)"),
                    line(r, "blk.config.seg_max").detail());
            assertTrue(line(r, "blk.config.capacity").detail().startsWith("capacity = 32768 "),
                    line(r, "blk.config.capacity").detail());
            assertTrue(line(r, "blk.offer.FLUSH").detail().startsWith("FLUSH (bit 9) is offered"),
                    line(r, "blk.offer.FLUSH").detail());
            assertTrue(line(r, "blk.present").detail().contains("no device ID"), line(r, "blk.present").detail());
            assertTrue(line(r, "built_without_rng").detail().contains("a build option"));
            assertTrue(line(r, "guest_reads_block").detail().contains("guest_block_read"));
            assertTrue(r.summary().pass(), "a MAY device missing does not fail the platform");
        }
    }

    @Test
    void aBlkWithoutFlushFailsExactlyThatOffer() throws Exception {
        try (BlkDevice disk = blk(false)) {
            HostPlatformCheck.Result r = judge(bench, new Backends.NoFlush(disk));
            assertEquals(Set.of("blk.offer.FLUSH", "gpio.present"), ids(r, Outcome.FAIL), r.lines().toString());
            assertTrue(line(r, "blk.offer.FLUSH").detail().startsWith("FLUSH (bit 9) is not offered"));
            assertEquals(false, r.summary().pass(), "FLUSH is a MUST");
        }
    }

    @Test
    void aConfigFieldBelowItsBoundFailsExactlyThatBound() throws Exception {
        int at = bench.platform().devices().get(0).demands().stream().filter(x -> x.id().equals("blk.config.seg_max"))
                .findFirst().orElseThrow().field().offset();
        try (BlkDevice disk = blk(false)) {
            HostPlatformCheck.Result r = judge(bench, new SegMaxOne(disk, at));
            assertEquals(Set.of("blk.config.seg_max", "gpio.present"), ids(r, Outcome.FAIL), r.lines().toString());
            assertEquals("seg_max = 1, expected >= 2", line(r, "blk.config.seg_max").detail());
            assertEquals(false, r.summary().pass());
        }
    }

    /** Our read-only disk: it offers RO, which bench forbids, and no DISCARD, so max_discard_sectors is absent. */
    @Test
    void aReadOnlyBlkFailsTheForbiddenOfferAndTheAbsentField() throws Exception {
        try (BlkDevice disk = blk(true)) {
            HostPlatformCheck.Result r = judge(bench, disk);
            assertEquals(Set.of("blk.offer.RO", "blk.config.max_discard_sectors", "gpio.present"), ids(r, Outcome.FAIL),
                    r.lines().toString());
            assertTrue(line(r, "blk.config.max_discard_sectors").detail().startsWith("field exists only when DISCARD"),
                    line(r, "blk.config.max_discard_sectors").detail());
        }
    }

    /** Without the CONFIG protocol feature the front end cannot read a field: the bounds are skipped, not guessed. */
    @Test
    void configBoundsAreSkippedWithoutTheConfigProtocolFeature() throws Exception {
        try (BlkDevice disk = blk(false)) {
            HostPlatformCheck.Result r = judge(bench, new NoConfigSpace(disk));
            assertEquals(Set.of("gpio.present"), ids(r, Outcome.FAIL), r.lines().toString());
            for (String id : List.of("blk.config.seg_max", "blk.config.capacity", "blk.config.max_discard_sectors")) {
                assertEquals(Outcome.SKIP, line(r, id).outcome(), id);
                assertTrue(line(r, id).detail().contains("lacks the CONFIG protocol feature"), line(r, id).detail());
            }
            assertTrue(line(r, "blk.present").detail().contains("no CONFIG protocol feature"),
                    line(r, "blk.present").detail());
        }
    }

    /** A disk given as the entropy device: its feature bits are not rng's, so rng.present fails and its demands wait. */
    @Test
    void aBackendOfAnotherKindIsNotTakenForTheDevice() throws Exception {
        try (BlkDevice disk = blk(false); VhostUserServer server = VhostUserServer.start(dir.resolve("b.sock"), disk)) {
            HostPlatformCheck.Result r = HostPlatformCheck.run(bench, Map.of("rng", server.path()), 2_000);
            assertEquals(Set.of("blk.present", "rng.present", "gpio.present"), ids(r, Outcome.FAIL), r.lines().toString());
            assertTrue(line(r, "rng.present").detail().contains("which rng does not define"),
                    line(r, "rng.present").detail());
            assertEquals(Outcome.SKIP, line(r, "rng.offer.VERSION_1").outcome());
            assertEquals(Outcome.SKIP, line(r, "blk.offer.FLUSH").outcome());
            assertTrue(line(r, "blk.offer.FLUSH").detail().startsWith("no backend socket for blk"));
        }
    }

    /** The shipped platform: blk and rng are all this configuration provides, so every other device's presence fails. */
    @Test
    void theShippedAutomotivePlatformWithOurBlkAndRng() throws Exception {
        PlatformSource.Loaded automotive = PlatformSource.load("automotive", null);
        try (BlkDevice disk = blk(false)) {
            HostPlatformCheck.Result r = judge(automotive, disk);
            Set<String> absent = new TreeSet<>();
            for (String d : List.of("net", "console", "vsock", "input", "gpu", "sound", "fs", "gpio", "rtc", "watchdog",
                    "iommu", "scmi", "media", "can", "i2c", "spi", "balloon", "rpmb")) {
                absent.add(d + ".present");
            }
            assertEquals(absent, ids(r, Outcome.FAIL), r.lines().toString());
            assertEquals(new TreeSet<>(List.of("blk.present", "blk.offer.VERSION_1", "blk.offer.FLUSH",
                    "blk.offer.SEG_MAX", "blk.config.seg_max", "blk.queues", "rng.present", "rng.offer.VERSION_1")),
                    ids(r, Outcome.PASS));
            assertEquals(false, r.summary().pass(), "net and console are MUST");
            Files.createDirectories(Backends.REPORTS);
            Verdicts.write(Backends.REPORTS.resolve("platform-automotive-host.txt"), r.lines(), r.summary());
        }
    }

    /** Devices the hypervisor provides itself (--elsewhere) are left to the guest: skipped, not failed. */
    @Test
    void devicesProvidedElsewhereAreLeftToTheGuest() throws Exception {
        PlatformSource.Loaded automotive = PlatformSource.load("automotive", null);
        try (BlkDevice disk = blk(false);
                VhostUserServer rng = VhostUserServer.start(dir.resolve("rng.sock"), new RngDevice());
                VhostUserServer b = VhostUserServer.start(dir.resolve("blk.sock"), disk)) {
            Map<String, Path> sockets = new LinkedHashMap<>(Map.of("blk", b.path(), "rng", rng.path()));
            HostPlatformCheck.Result r = HostPlatformCheck.run(automotive, sockets, Set.of("net", "console"), 2_000);
            assertEquals(Outcome.SKIP, line(r, "net.present").outcome());
            assertTrue(line(r, "console.offer.VERSION_1").detail().startsWith("console is provided without a vhost-user"
                    + " backend in this configuration"), line(r, "console.offer.VERSION_1").detail());
            assertEquals(Outcome.FAIL, line(r, "vsock.present").outcome(), "a device neither served nor elsewhere");
            assertTrue(r.summary().pass(), "every MUST device is served or elsewhere: " + r.lines());
            UsageError twice = org.junit.jupiter.api.Assertions.assertThrows(UsageError.class,
                    () -> HostPlatformCheck.run(automotive, sockets, Set.of("blk"), 2_000));
            assertEquals("--elsewhere blk: it has a --socket too; give one or the other", twice.getMessage());
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        return ConformCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void theCommandWritesAVerdictFileThatReadsBack() throws Exception {
        Path file = dir.resolve("out/verdicts.txt");
        try (BlkDevice disk = blk(false);
                VhostUserServer b = VhostUserServer.start(dir.resolve("blk.sock"), disk);
                VhostUserServer n = VhostUserServer.start(dir.resolve("rng.sock"), new RngDevice())) {
            int code = cli("platform", "--platform", "bench", "--catalog", catalog.toString(), "--socket",
                    "blk=" + b.path(), "--socket", "rng=" + n.path(), "--verdicts", file.toString());
            assertEquals(0, code, out + "\n" + err);
        }
        List<String> text = Files.readAllLines(file);
        for (String l : text) {
            assertTrue(l.startsWith("AVPS-VERDICT\t") || l.startsWith("AVPS-SUMMARY\t"), l);
            assertEquals(3, l.chars().filter(c -> c == '\t').count(), "four fields: " + l);
        }
        Verdicts.Parsed p = Verdicts.parse(text);
        assertEquals(new Verdicts.Summary("bench", "host", true), p.summary());
        assertEquals(bench.platform().statements().size(), p.lines().size());
        assertEquals("AVPS-SUMMARY\tbench\thost\tpass", text.get(text.size() - 1));
        assertEquals(new Verdict("gpio.present", Outcome.FAIL, "no backend socket in this configuration"),
                p.lines().stream().filter(l -> l.id().equals("gpio.present")).findFirst().orElseThrow());
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList(), "no temporary file is left beside it");
        }
    }

    @Test
    void theCommandPrintsTheShippedPlatformsVerdictsAndExitsOneOnAMustFailure() throws Exception {
        try (BlkDevice disk = blk(false); VhostUserServer b = VhostUserServer.start(dir.resolve("blk.sock"), disk)) {
            assertEquals(1, cli("platform", "--platform", "automotive", "--socket", "blk=" + b.path()), err.toString());
        }
        Verdicts.Parsed p = Verdicts.parse(out.toString().lines().toList());
        assertEquals(new Verdicts.Summary("automotive", "host", false), p.summary());
        assertEquals(Outcome.PASS, p.lines().stream().filter(l -> l.id().equals("blk.offer.FLUSH")).findFirst()
                .orElseThrow().outcome());
        assertEquals(Outcome.FAIL, p.lines().stream().filter(l -> l.id().equals("rng.present")).findFirst()
                .orElseThrow().outcome());
        assertEquals("automotive.transport", p.lines().get(0).id());
    }

    @Test
    void usageErrorsNameWhatIsWrong() throws Exception {
        Path notListening = Files.createFile(dir.resolve("plain-file.sock"));
        String[][] cases = {
            {"the catalog (" + catalog + ") has no platform 'nosuch'; it has: bench", "--platform", "nosuch"},
            {"--socket nodev=/x: the catalog has no device 'nodev'", "--platform", "bench", "--socket", "nodev=/x"},
            {"--socket i2c=/x: platform bench does not list i2c (it lists blk, rng, gpio)", "--platform", "bench",
                "--socket", "i2c=/x"},
            {"--socket rng=" + dir.resolve("none.sock") + ": no socket there", "--platform", "bench", "--socket",
                "rng=" + dir.resolve("none.sock")},
            {"--socket rng=" + notListening + ": no backend answers there", "--platform", "bench", "--socket",
                "rng=" + notListening},
            {"--socket blk.sock: expected DEVICE=PATH", "--platform", "bench", "--socket", "blk.sock"},
            {"--socket rng=/b: rng has a socket already", "--platform", "bench", "--socket", "rng=/a", "--socket",
                "rng=/b"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            String[] args = new String[c.length + 1];
            args[0] = "platform";
            args[1] = "--catalog=" + catalog;
            System.arraycopy(c, 1, args, 2, c.length - 1);
            assertEquals(2, cli(args), String.join(" ", args) + ": " + err);
            assertTrue(err.toString().startsWith("avps conform platform: " + c[0]), err.toString());
        }
        assertEquals(2, cli("platform", "--socket", "rng=/x"), "--platform is required");
        assertTrue(err.toString().contains("--platform"), err.toString());
    }

    @Test
    void theParserRefusesWhatIsNotTheFormat() {
        assertThrows(IllegalArgumentException.class, () -> Verdicts.parse(List.of("AVPS-VERDICT\ta\tmaybe\tx",
                "AVPS-SUMMARY\tp\thost\tpass")));
        assertThrows(IllegalArgumentException.class, () -> Verdicts.parse(List.of("AVPS-VERDICT\ta\tpass")));
        assertThrows(IllegalArgumentException.class, () -> Verdicts.parse(List.of("AVPS-VERDICT\ta\tpass\tx")),
                "the summary is required");
        // A detail with a tab or a line break is made one field on one line.
        String rendered = Verdicts.render(List.of(new Verdict("a", Outcome.SKIP, "two\tparts\nand a line")),
                new Verdicts.Summary("p", "host", true));
        assertEquals(new Verdict("a", Outcome.SKIP, "two parts and a line"),
                Verdicts.parse(rendered.lines().toList()).lines().get(0));
    }

    @Test
    void anUnknownPlatformIsNamedWithThoseTheCatalogHas() {
        UsageError e = assertThrows(UsageError.class, () -> PlatformSource.load("car", catalog));
        assertTrue(e.getMessage().endsWith("it has: bench"), e.getMessage());
        e = assertThrows(UsageError.class, () -> PlatformSource.load("car", null));
        assertTrue(e.getMessage().startsWith("the shipped catalog has no platform 'car'; it has: ")
                && e.getMessage().contains("automotive"), e.getMessage());
    }

    /** A disk that reports no config space, so the server offers no CONFIG protocol feature. */
    static final class NoConfigSpace extends Backends.Forwarding {
        NoConfigSpace(VirtioDevice d) {
            super(d);
        }

        @Override
        public int configSize() {
            return 0;
        }
    }

    /** A disk whose seg_max reads 1, whatever its segments allow. */
    static final class SegMaxOne extends Backends.Forwarding {
        private final int at;

        SegMaxOne(VirtioDevice d, int at) {
            super(d);
            this.at = at;
        }

        @Override
        public void readConfig(int offset, byte[] dst) {
            d.readConfig(offset, dst);
            for (int i = 0; i < 4; i++) {
                int k = at + i - offset;
                if (k >= 0 && k < dst.length) {
                    dst[k] = (byte) (i == 0 ? 1 : 0);
                }
            }
        }
    }
}
