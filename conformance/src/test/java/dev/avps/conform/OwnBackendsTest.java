package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.rng.RngDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our own backends, served in-process: every check that applies must pass. */
class OwnBackendsTest {
    @TempDir
    Path dir;

    private DeviceReport run(String device, dev.avps.runtime.device.VirtioDevice backend, String name)
            throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(name + ".sock"), backend)) {
            DeviceReport r = Runner.run(new Target(server.path(), Backends.catalog(device)), name);
            Backends.keep(r, name);
            return r;
        }
    }

    private static void assertVerdict(DeviceReport r, Verdict v, List<String> checks) {
        for (String c : checks) {
            assertEquals(v, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
    }

    @Test
    void ourBlkPassesEveryCheck() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "disk.img", 16), false, "avps-conform")) {
            DeviceReport r = run("blk", blk, "avps-blk");
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            assertVerdict(r, Verdict.PASSED, List.of("dev_offers_version_1", "dev_features_ok_accepted",
                    "dev_config_size", "dev_reserved_config_zero", "dev_config_read_only", "dev_queue_count",
                    "dev_request_within_writable", "dev_request_used_len", "dev_request_status_written",
                    "dev_malformed_short_readable", "dev_malformed_no_writable",
                    "dev_malformed_readable_after_writable", "dev_malformed_unknown_selector",
                    "dev_reset_initial_state", "blk_write_read_back", "blk_status_last", "blk_flush", "blk_get_id",
                    "blk_discard", "blk_write_zeroes", "blk_beyond_capacity_ioerr", "blk_features_offer_flush",
                    "blk_features_wce_implies_flush", "blk_config_writeback_without_flush",
                    "blk_range_unknown_flag_unsupp", "blk_discard_unmap_unsupp", "blk_zone_requests_unsupp_without_zoned"));
            assertEquals(Verdict.SKIPPED, r.result("blk_ro_write_refused").verdict(), "RO is not offered");
            // An image file has no wear figures, so LIFETIME is rightly not offered (5.2.6.2).
            assertEquals(Verdict.SKIPPED, r.result("blk_get_lifetime_values_defined").verdict());
        }
    }

    @Test
    void ourReadOnlyBlkRefusesWrites() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "ro.img", 16), true, "avps-ro")) {
            DeviceReport r = run("blk", blk, "avps-blk-ro");
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            assertVerdict(r, Verdict.PASSED, List.of("blk_ro_write_refused", "blk_beyond_capacity_ioerr",
                    "blk_flush", "dev_reset_initial_state", "blk_features_offer_flush",
                    "blk_zone_requests_unsupp_without_zoned"));
            assertVerdict(r, Verdict.SKIPPED, List.of("blk_write_read_back", "blk_discard", "blk_write_zeroes",
                    "blk_features_wce_implies_flush", "blk_config_writeback_without_flush",
                    "blk_range_unknown_flag_unsupp", "blk_discard_unmap_unsupp"));
        }
    }

    @Test
    void ourRngPassesEveryCheck() throws Exception {
        DeviceReport r = run("rng", new RngDevice(), "avps-rng");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        assertVerdict(r, Verdict.PASSED, List.of("dev_offers_version_1", "dev_queue_count",
                "dev_request_within_writable", "dev_request_used_len", "dev_malformed_no_writable",
                "dev_malformed_readable_after_writable", "dev_reset_initial_state", "rng_buffer_filled",
                "rng_not_repeating"));
        assertVerdict(r, Verdict.SKIPPED, List.of("dev_config_size", "dev_request_status_written",
                "dev_malformed_short_readable", "dev_malformed_unknown_selector"));
        assertTrue(r.millis() < 60_000, "a passing run is quick: " + r.millis() + " ms");
    }
}
