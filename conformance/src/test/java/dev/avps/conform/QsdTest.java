package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.report.RequirementJoin;
import dev.avps.devices.blk.BlkDevice;
import dev.avps.e2e.Peer;
import dev.avps.e2e.Peers;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * avps conform against qemu-storage-daemon 7.2 and against our blk on the same image, one after
 * the other. A third-party failure is a finding, not a broken build: the test pins the set of
 * findings (listed with what was observed in conformance/README.md), so a change either way shows.
 */
class QsdTest {
    @TempDir
    Path dir;

    @Test
    void qemuStorageDaemonAndOurBlkOnTheSameImage() throws Exception {
        Path image = Backends.image(dir, "shared.img", 64);
        DeviceReport theirs;
        // Started as the interop tests start it (a missing binary skips, and fails under CI=true).
        try (Peer qsd = Peers.qemuStorageDaemon(Peers.Qsd.V7_2, dir, image, true, false, "qsd")) {
            Path log = dir.resolve("qsd.log");
            Target t = new Target(qsd.socket(), Backends.catalog("blk")).withTimeouts(2_000, 30_000);
            theirs = Runner.run(t, "blk: qemu-storage-daemon 7.2 on " + qsd.socket());
            Backends.keep(theirs, "qsd-7.2-blk");
            assertTrue(qsd.alive(), "qemu-storage-daemon is still running; its log:\n" + Files.readString(log));
            // Its own account of the findings sits next to the report.
            Files.copy(log, Backends.REPORTS.resolve("qsd-7.2-blk/qemu-storage-daemon.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        DeviceReport ours;
        try (BlkDevice blk = new BlkDevice(image, false, "avps");
                VhostUserServer server = VhostUserServer.start(dir.resolve("ours.sock"), blk)) {
            ours = Runner.run(new Target(server.path(), Backends.catalog("blk")), "blk: avps-serve on the same image");
            Backends.keep(ours, "avps-blk-same-image");
        }
        assertEquals(List.of(), ours.failed(), () -> ours.results().toString());
        // The findings, each described in conformance/README.md ("Findings: qemu-storage-daemon 7.2").
        assertEquals(new TreeSet<>(List.of("dev_config_read_only", "dev_malformed_short_readable",
                "dev_malformed_no_writable", "dev_malformed_readable_after_writable")),
                new TreeSet<>(theirs.failed()), () -> theirs.results().toString());
        assertTrue(theirs.result("dev_config_read_only").reason().contains("capacity")
                && theirs.result("dev_config_read_only").reason().contains("BACKEND_CLOSED"),
                theirs.result("dev_config_read_only").reason());
        for (String hang : List.of("dev_malformed_short_readable", "dev_malformed_no_writable",
                "dev_malformed_readable_after_writable")) {
            assertTrue(theirs.result(hang).reason().contains("the request hangs"), theirs.result(hang).reason());
        }
        // No reset without RESET_DEVICE or STATUS: not checkable, rather than passed or failed.
        assertEquals(Verdict.NOT_CHECKABLE, theirs.result("dev_reset_initial_state").verdict());
        // On the blk chapter's own rules both reach the same verdicts: every one checked passed.
        RequirementJoin.Figures theirFigures = RequirementJoin.figures(RequirementJoin.deviceRows(theirs));
        assertEquals(RequirementJoin.figures(RequirementJoin.deviceRows(ours)), theirFigures);
        assertEquals(theirFigures.checked(), theirFigures.passed(), theirFigures::toString);
        // Neither offers LIFETIME: an image file has no wear figures to report.
        assertEquals(Verdict.SKIPPED, theirs.result("blk_get_lifetime_values_defined").verdict());
        assertEquals(Verdict.SKIPPED, ours.result("blk_get_lifetime_values_defined").verdict());
        // Only ours offers STATUS: its FEATURES_OK verdict is whole, qemu-storage-daemon's is partial.
        assertTrue(theirs.result("dev_features_ok_accepted").reason().contains("partly observed"),
                theirs.result("dev_features_ok_accepted").reason());
        assertTrue(!ours.result("dev_features_ok_accepted").reason().contains("partly observed"),
                ours.result("dev_features_ok_accepted").reason());
        // What both pass, so the comparison covers the same ground.
        for (String c : List.of("dev_features_ok_accepted", "dev_config_size", "dev_reserved_config_zero",
                "dev_request_within_writable", "dev_request_status_written", "dev_malformed_unknown_selector",
                "blk_write_read_back", "blk_status_last", "blk_flush", "blk_get_id", "blk_discard",
                "blk_write_zeroes", "blk_beyond_capacity_ioerr", "blk_features_offer_flush",
                "blk_features_wce_implies_flush", "blk_config_writeback_without_flush", "blk_range_unknown_flag_unsupp",
                "blk_discard_unmap_unsupp", "blk_zone_requests_unsupp_without_zoned")) {
            assertEquals(Verdict.PASSED, theirs.result(c).verdict(), c + ": " + theirs.result(c).reason());
            assertEquals(Verdict.PASSED, ours.result(c).verdict(), c + ": " + ours.result(c).reason());
        }
    }
}
