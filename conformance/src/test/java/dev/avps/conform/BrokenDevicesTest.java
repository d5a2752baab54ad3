package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.report.RequirementJoin;
import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.rng.RngDevice;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our devices broken on purpose, one way each: each run must fail exactly the checks covering
 * what the device breaks, and pass (or skip) the rest.
 */
class BrokenDevicesTest {
    @TempDir
    Path dir;

    private DeviceReport run(String device, VirtioDevice backend, String name, long requestMillis) throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(name + ".sock"), backend)) {
            Target t = new Target(server.path(), Backends.catalog(device)).withTimeouts(requestMillis, 20_000);
            DeviceReport r = Runner.run(t, name);
            Backends.keep(r, name);
            return r;
        }
    }

    private static void assertFailsExactly(DeviceReport r, String... checks) {
        assertEquals(new TreeSet<>(List.of(checks)), new TreeSet<>(r.failed()), () -> r.results().toString());
        assertEquals("", r.aborted(), "the backend stayed reachable");
        // The failed requirements are the ones the catalog says those checks test, nothing the test lists.
        Set<String> expected = new TreeSet<>();
        for (String c : checks) {
            expected.addAll(RequirementJoin.requirementsOf(r.catalog(), c));
        }
        Set<String> failed = new TreeSet<>();
        for (List<RequirementJoin.Row> rows : List.of(RequirementJoin.deviceRows(r), RequirementJoin.sharedRows(r))) {
            rows.stream().filter(x -> x.status() == RequirementJoin.Status.FAILED).forEach(x -> failed.add(x.id()));
        }
        assertEquals(expected, failed, "failed requirements");
    }

    @Test
    void aBlkThatWritesPastTheWritablePartFailsOnlyThat() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "overrun")) {
            DeviceReport r = run("blk", new Backends.Overrun(blk), "broken-blk-overrun", 5_000);
            assertFailsExactly(r, "dev_request_within_writable");
            assertTrue(r.result("dev_request_within_writable").reason().contains("1 byte(s) just after writable buffer"),
                    r.result("dev_request_within_writable").reason());
        }
    }

    @Test
    void anRngThatWritesPastItsBufferFailsTheFillCheckToo() throws Exception {
        DeviceReport r = run("rng", new Backends.Overrun(new RngDevice()), "broken-rng-overrun", 5_000);
        assertFailsExactly(r, "dev_request_within_writable", "rng_buffer_filled");
    }

    @Test
    void aBlkThatIgnoresReadOnlyFailsOnlyTheReadOnlyCheck() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "ignores-ro")) {
            DeviceReport r = run("blk", new Backends.IgnoresReadOnly(blk), "broken-blk-ignores-ro", 5_000);
            assertFailsExactly(r, "blk_ro_write_refused");
            assertTrue(r.result("blk_ro_write_refused").reason().contains("expected IOERR"),
                    r.result("blk_ro_write_refused").reason());
        }
    }

    @Test
    void aBlkThatNeverAnswersFailsEveryCheckThatNeedsAnAnswerAndTheRunEnds() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "silent")) {
            long t0 = System.nanoTime();
            DeviceReport r = run("blk", new Backends.Silent(blk), "broken-blk-silent", 300);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFailsExactly(r, "dev_request_within_writable", "dev_request_used_len", "dev_request_status_written",
                    "dev_malformed_short_readable", "dev_malformed_no_writable", "dev_malformed_unknown_selector",
                    "dev_reset_initial_state", "blk_write_read_back", "blk_status_last", "blk_flush", "blk_get_id",
                    "blk_discard", "blk_write_zeroes", "blk_beyond_capacity_ioerr");
            Set<String> hung = new TreeSet<>();
            for (CheckResult c : r.results()) {
                if (c.verdict() == Verdict.FAILED && (c.reason().contains("NO_COMPLETION")
                        || c.reason().contains("the request hangs"))) {
                    hung.add(c.check());
                }
            }
            assertEquals(new TreeSet<>(r.failed()), hung, "every failure says the request never came back");
            assertTrue(ms < 60_000, "a silent device costs a request timeout per check, not a hang: " + ms + " ms");
        }
    }

    /** Zones up to past the middle are conventional, where BlkChecks' zone-blind writes land (see OwnZonedBlkTest). */
    static final String ZONED = "zone-sectors=256,conventional=66,max-open=3,max-active=4,max-append=64,granularity=4096";

    @Test
    void aHostManagedBlkThatKeepsFeaturesOkWithoutZonedFailsOnlyThat() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "z.img", 16), false, "keeps-ok",
                dev.avps.devices.blk.ZonedOptions.parse(ZONED))) {
            DeviceReport r = run("blk", new BrokenZoned.KeepsFeaturesOk(blk), "broken-blk-zoned-keeps-features-ok", 5_000);
            assertFailsExactly(r, "blk_zoned_hm_refuses_features_ok");
            assertTrue(r.result("blk_zoned_hm_refuses_features_ok").reason().contains("kept FEATURES_OK"),
                    r.result("blk_zoned_hm_refuses_features_ok").reason());
        }
    }

    @Test
    void aZonedBlkThatHidesUnalignedWritesFailsTheWritePointerChecks() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "z.img", 16), false, "hides-wp",
                dev.avps.devices.blk.ZonedOptions.parse(ZONED))) {
            DeviceReport r = run("blk", new BrokenZoned.HidesUnalignedWp(blk), "broken-blk-zoned-hides-unaligned", 5_000);
            assertFailsExactly(r, "blk_zone_unaligned_write", "blk_zone_write_granularity");
            assertTrue(r.result("blk_zone_unaligned_write").reason().contains("expected VIRTIO_BLK_S_ZONE_UNALIGNED_WP"),
                    r.result("blk_zone_unaligned_write").reason());
        }
    }

    @Test
    void aGpioWhoseLinesReadZeroFailsOnlyTheRoundTrip() throws Exception {
        DeviceReport r = run("gpio", new Backends.StuckLow(new dev.avps.devices.gpio.GpioDevice("a", "b")),
                "broken-gpio-stuck-low", 5_000);
        assertFailsExactly(r, "gpio_value_round_trip");
        assertTrue(r.result("gpio_value_round_trip").reason().contains("reads 0 after being set to 1"),
                r.result("gpio_value_round_trip").reason());
    }

    @Test
    void aBackendThatAcceptsButNeverRepliesStopsTheRunWithinTheReplyTimeout() throws Exception {
        Path sock = dir.resolve("mute.sock");
        try (org.newsclub.net.unix.AFUNIXServerSocket server = org.newsclub.net.unix.AFUNIXServerSocket.newInstance()) {
            server.bind(org.newsclub.net.unix.AFUNIXSocketAddress.of(sock.toFile()));
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    for (;;) {
                        held.add(server.accept()); // read nothing, answer nothing
                    }
                } catch (java.io.IOException e) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Target t = new Target(sock, Backends.catalog("rng"), null, 300, 300, 5_000);
            long t0 = System.nanoTime();
            DeviceReport r = Runner.run(t, "mute");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(r.aborted().contains("NO_REPLY"), r.aborted());
            assertEquals(r.results().size(), r.failed().size());
            assertTrue(ms < 5_000, "one reply timeout, not one per check: " + ms + " ms");
        }
    }

    @Test
    void aSocketNobodyListensOnStopsTheRunWithThatVerdict() throws Exception {
        Target t = new Target(dir.resolve("nobody.sock"), Backends.catalog("rng"));
        DeviceReport r = Runner.run(t, "nobody");
        assertTrue(r.aborted().startsWith("cannot connect"), r.aborted());
        assertEquals(r.results().size(), r.failed().size());
        assertTrue(r.results().stream().allMatch(c -> c.reason().startsWith("not run: cannot connect")));
    }
}
