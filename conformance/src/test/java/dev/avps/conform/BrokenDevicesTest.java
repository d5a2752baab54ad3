package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.report.RequirementJoin;
import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.console.ConsoleDevice;
import dev.avps.devices.gpio.GpioDevice;
import dev.avps.devices.i2c.I2cDevice;
import dev.avps.devices.input.InputDevice;
import dev.avps.devices.net.EchoPort;
import dev.avps.devices.net.NetDevice;
import dev.avps.devices.net.Switch;
import dev.avps.devices.rng.RngDevice;
import dev.avps.devices.sound.SoundDevice;
import dev.avps.devices.vsock.VsockDevice;
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
            Target t = new Target(server.path(), Backends.catalog(device)).withTimeouts(requestMillis, 20_000)
                    .withVsockUds(dir.resolve("uds"));
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
                    "blk_discard", "blk_write_zeroes", "blk_beyond_capacity_ioerr", "blk_range_unknown_flag_unsupp",
                    "blk_discard_unmap_unsupp", "blk_zone_requests_unsupp_without_zoned");
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
    void aBlkThatIgnoresRangeFlagsFailsTheTwoFlagChecks() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "flags")) {
            DeviceReport r = run("blk", new Backends.IgnoresRangeFlags(blk), "broken-blk-range-flags", 5_000);
            assertFailsExactly(r, "blk_range_unknown_flag_unsupp", "blk_discard_unmap_unsupp");
            assertTrue(r.result("blk_discard_unmap_unsupp").reason().contains("status VIRTIO_BLK_S_OK, expected UNSUPP"),
                    r.result("blk_discard_unmap_unsupp").reason());
        }
    }

    @Test
    void aBlkOfferingConfigWceWithoutFlushFailsTheOfferChecks() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "no-flush")) {
            DeviceReport r = run("blk", new Backends.NoFlush(blk), "broken-blk-no-flush", 5_000);
            assertFailsExactly(r, "blk_features_offer_flush", "blk_features_wce_implies_flush");
            assertEquals(Verdict.SKIPPED, r.result("blk_flush").verdict());
        }
    }

    @Test
    void aBlkWhoseWritebackStartsAtOneWithoutFlushFailsThatCheck() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "wb-1")) {
            DeviceReport r = run("blk", new Backends.WritebackAlwaysOne(blk), "broken-blk-writeback-one", 5_000);
            assertFailsExactly(r, "blk_config_writeback_without_flush");
            assertTrue(r.result("blk_config_writeback_without_flush").reason().contains("writeback reads 1"),
                    r.result("blk_config_writeback_without_flush").reason());
        }
    }

    @Test
    void aBlkAnsweringReservedLifetimeValuesFailsThatCheckAndDefinedOnesPass() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "lifetime")) {
            DeviceReport r = run("blk", new Backends.Lifetime(blk, 4, 1, 12), "broken-blk-lifetime", 5_000);
            assertFailsExactly(r, "blk_get_lifetime_values_defined");
            String why = r.result("blk_get_lifetime_values_defined").reason();
            assertTrue(why.contains("pre_eol_info 4") && why.contains("device_lifetime_est_typ_b 12")
                    && !why.contains("typ_a"), why);
        }
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "e.img", 16), false, "lifetime-ok")) {
            DeviceReport r = run("blk", new Backends.Lifetime(blk, 3, 11, 0), "blk-lifetime-defined", 5_000);
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            assertEquals(Verdict.PASSED, r.result("blk_get_lifetime_values_defined").verdict());
        }
    }

    @Test
    void aBlkServingZoneRequestsWithoutZonedFailsThatCheck() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "d.img", 16), false, "zones")) {
            DeviceReport r = run("blk", new Backends.ServesZoneRequests(blk), "broken-blk-zone-ok", 5_000);
            assertFailsExactly(r, "blk_zone_requests_unsupp_without_zoned");
            String why = r.result("blk_zone_requests_unsupp_without_zoned").reason();
            assertTrue(why.contains("ZONE_REPORT got VIRTIO_BLK_S_OK") && why.contains("ZONE_APPEND got VIRTIO_BLK_S_OK"), why);
        }
    }

    @Test
    void aGpioWhoseLinesReadZeroFailsTheChecksThatReadBackALevel() throws Exception {
        DeviceReport r = run("gpio", new Backends.StuckLow(new GpioDevice("a", "b")), "broken-gpio-stuck-low", 5_000);
        assertFailsExactly(r, "gpio_value_round_trip", "gpio_same_line_in_order", "gpio_different_lines_any_order",
                "gpio_direction_none_resets");
        assertTrue(r.result("gpio_value_round_trip").reason().contains("reads 0 after being set to 1"),
                r.result("gpio_value_round_trip").reason());
    }

    @Test
    void aVsockSilentOnUnknownTypesFailsOnlyTheRstCheck() throws Exception {
        DeviceReport r = run("vsock", new Backends.SilentOnUnknownType(new VsockDevice(3, dir.resolve("uds").toString())),
                "broken-vsock-silent-unknown-type", 2_000);
        assertFailsExactly(r, "vsock_unknown_type_rst");
        assertTrue(r.result("vsock_unknown_type_rst").reason().startsWith("no answer on rx"),
                r.result("vsock_unknown_type_rst").reason());
    }

    /**
     * The catalog's inline check: a guest CID with its reserved upper 32 bits set breaks the bound
     * {@code guest_cid <= 0xfffffffe} written next to vsock_cid_not_reserved, and only that. The
     * device uses the CID consistently, so every behavioural check still passes.
     */
    @Test
    void aVsockReportingACidWithUpperBitsFailsOnlyTheInlineCheck() throws Exception {
        long cid = 0x1_0000_0003L;
        DeviceReport r = run("vsock", new VsockDevice(cid, dir.resolve("uds").toString()), "broken-vsock-cid-upper",
                2_000);
        assertFailsExactly(r, "vsock_cid_not_reserved_expect");
        String reason = r.result("vsock_cid_not_reserved_expect").reason();
        assertTrue(reason.contains("vsock_cid_not_reserved: guest_cid = " + cid + ", expected <= 4294967294"), reason);
        assertFalse(reason.contains(">= 3"), "the lower bound holds and is not reported: " + reason);
    }

    @Test
    void aVsockIgnoringTheDriversCreditFailsOnlyTheCreditCheck() throws Exception {
        DeviceReport r = run("vsock", new Backends.IgnoresCredit(new VsockDevice(3, dir.resolve("uds").toString())),
                "broken-vsock-ignores-credit", 2_000);
        assertFailsExactly(r, "vsock_credit_respected");
        assertTrue(r.result("vsock_credit_respected").reason().contains("bytes of credit"),
                r.result("vsock_credit_respected").reason());
    }

    @Test
    void aVsockWhoseFwdCntNeverMovesFailsOnlyTheFieldsCheck() throws Exception {
        DeviceReport r = run("vsock", new Backends.StuckFwdCnt(new VsockDevice(3, dir.resolve("uds").toString())),
                "broken-vsock-stuck-fwd-cnt", 2_000);
        assertFailsExactly(r, "vsock_credit_fields_track");
        assertTrue(r.result("vsock_credit_fields_track").reason().contains("still says fwd_cnt 0"),
                r.result("vsock_credit_fields_track").reason());
    }

    @Test
    void aGpioThatLeavesTheValueOfSetRepliesUnwrittenFailsOnlyTheResponseCheck() throws Exception {
        DeviceReport r = run("gpio", new Backends.StatusOnlySetReplies(new GpioDevice("a", "b")), "broken-gpio-status-only",
                5_000);
        assertFailsExactly(r, "gpio_response_fields_set");
        assertTrue(r.result("gpio_response_fields_set").reason().contains("value byte was left"),
                r.result("gpio_response_fields_set").reason());
    }

    @Test
    void aGpioThatSendsEventsUnarmedFailsOnlyTheSilenceCheck() throws Exception {
        DeviceReport r = run("gpio", new Backends.EventsAtOnce(new GpioDevice(true, "a", "b")), "broken-gpio-events-at-once",
                5_000);
        assertFailsExactly(r, "gpio_irq_silent_until_armed");
        assertTrue(r.result("gpio_irq_silent_until_armed").reason().contains("VALID interrupt event while its interrupt was"
                + " disabled"), r.result("gpio_irq_silent_until_armed").reason());
        assertEquals(Verdict.NOT_CHECKABLE, r.result("gpio_irq_none_returns_buffer").verdict(),
                "every disabling is raced by an event");
    }

    @Test
    void anI2cThatTakesADriverWithoutZeroLengthRequestFailsOnlyThat() throws Exception {
        DeviceReport r = run("i2c", new Backends.AcceptsAnyFeatures(new I2cDevice(0x50)), "broken-i2c-any-features", 5_000);
        assertFailsExactly(r, "i2c_features_ok_needs_zero_length");
        assertTrue(r.result("i2c_features_ok_needs_zero_length").reason().contains("were accepted"),
                r.result("i2c_features_ok_needs_zero_length").reason());
    }

    @Test
    void anInputThatCutsUpdatesWhenStarvedFailsOnlyTheStarvationCheck() throws Exception {
        InputSide.CutsUpdates input = new InputSide.CutsUpdates(InputDevice.keyboard("cuts"));
        java.util.concurrent.ScheduledExecutorService typist = InputSide.typist(input);
        try {
            DeviceReport r = run("input", input, "broken-input-cuts-updates", 2_000);
            assertFailsExactly(r, "input_starved_eventq_drops_whole");
            assertTrue(r.result("input_starved_eventq_drops_whole").reason().contains("twice"),
                    r.result("input_starved_eventq_drops_whole").reason());
        } finally {
            typist.shutdownNow();
        }
    }

    @Test
    void anInputKeepingItsAnswerForAnUnknownSelectFailsOnlyThat() throws Exception {
        DeviceReport r = run("input", new InputSide.KeepsAnswerForUnknownSelect(InputDevice.keyboard("keeps")),
                "broken-input-keeps-answer", 2_000);
        assertFailsExactly(r, "input_config_unknown_select_zero");
        assertTrue(r.result("input_config_unknown_select_zero").reason().contains("select UNSET: size 5"),
                r.result("input_config_unknown_select_zero").reason());
        assertEquals(Verdict.NOT_CHECKABLE, r.result("input_starved_eventq_drops_whole").verdict(), "nobody types");
    }

    /** Our sound with pacing off (avps-serve --no-real-time, a file as fast as it comes) returns buffers unplayed. */
    @Test
    void aSoundReturningBuffersAtOnceFailsOnlyThePacingCheck() throws Exception {
        SoundDevice snd = new SoundDevice(dir.resolve("fast.wav"), false);
        try {
            DeviceReport r = run("sound", snd, "broken-sound-unpaced", 2_000);
            assertFailsExactly(r, "snd_output_paced");
            assertTrue(r.result("snd_output_paced").reason().contains("before they could have played"),
                    r.result("snd_output_paced").reason());
        } finally {
            snd.close();
        }
    }

    @Test
    void aSoundWithAnUndefinedJackFeatureFailsOnlyTheJackCheck() throws Exception {
        SoundDevice snd = new SoundDevice(dir.resolve("jack.wav"), true);
        try {
            DeviceReport r = run("sound", new SoundSide.BadJack(snd), "broken-sound-jack", 2_000);
            assertFailsExactly(r, "snd_jack_info_defined");
            String why = r.result("snd_jack_info_defined").reason();
            assertTrue(why.contains("undefined feature bits 0x2") && why.contains("padding not zero"), why);
        } finally {
            snd.close();
        }
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

    @Test
    void aConsoleThatAddsAnExistingPortFailsOnlyTheAddCheck() throws Exception {
        DeviceReport r = run("console", new ConsoleVariants.AddsPortZeroTwice(new ConsoleDevice(List.of("a", "b"))),
                "broken-console-add-twice", 2_000);
        assertFailsExactly(r, "console_port_add_valid");
        assertTrue(r.result("console_port_add_valid").reason().contains("PORT_ADD for port 0, which was already added"),
                r.result("console_port_add_valid").reason());
        assertEquals(Verdict.PASSED, r.result("console_port_remove_added").verdict(), r.result("console_port_remove_added").reason());
    }

    @Test
    void aConsoleWhoseEmergencyWriteNeedsTheFeatureFailsOnlyThatCheck() throws Exception {
        DeviceReport r = run("console", new ConsoleVariants.EmergOnlyNegotiated(new ConsoleDevice(List.of("a"))),
                "broken-console-emerg", 2_000);
        assertFailsExactly(r, "console_emerg_write_accepted");
        assertTrue(r.result("console_emerg_write_accepted").reason().contains("before any queue was set up"),
                r.result("console_emerg_write_accepted").reason());
    }

    /** Our net with one queue pair, broken by {@code variant}, on a switch with an echo port behind it. */
    private DeviceReport runNet(java.util.function.Function<VirtioDevice, VirtioDevice> variant, String name)
            throws Exception {
        Switch sw = new Switch(name);
        new EchoPort(sw);
        NetDevice net = new NetDevice(sw, 0x02_a5_00_00_00_01L, 1);
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(name + ".sock"), variant.apply(net))) {
            Target t = new Target(server.path(), Backends.catalog("net")).withTimeouts(2_000, 20_000).withNetPeer("echo");
            DeviceReport r = Runner.run(t, name);
            Backends.keep(r, name);
            return r;
        } finally {
            net.detach();
        }
    }

    @Test
    void aNetWritingNumBuffersZeroFailsOnlyTheHeaderCheck() throws Exception {
        DeviceReport r = runNet(NetVariants.NumBuffersZero::new, "broken-net-num-buffers-0");
        assertFailsExactly(r, "net_rx_header_fields");
        assertTrue(r.result("net_rx_header_fields").reason().contains("num_buffers 0"),
                r.result("net_rx_header_fields").reason());
    }

    @Test
    void aNetAnsweringAnUndefinedAckToAnUnknownClassFailsOnlyTheUnknownCheck() throws Exception {
        DeviceReport r = runNet(NetVariants.UndefinedAckForUnknownClass::new, "broken-net-unknown-class-ack");
        // The generic check for a selector no format uses sends the same kind of command.
        assertFailsExactly(r, "net_ctrl_unknown_err", "dev_malformed_unknown_selector");
        assertTrue(r.result("net_ctrl_unknown_err").reason().contains("undefined ack 2"),
                r.result("net_ctrl_unknown_err").reason());
    }
}
