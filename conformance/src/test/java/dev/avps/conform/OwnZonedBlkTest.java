package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.blk.ZonedOptions;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our blk in zoned mode, served in-process: the zoned checks run against a disk that offers ZONED
 * (no backend we test against does), and every check that applies passes.
 */
class OwnZonedBlkTest {
    /** The zoned checks that a host-managed disk with conventional zones and every limit set can reach. */
    static final List<String> HOST_MANAGED = List.of("blk_zoned_hm_refuses_features_ok", "blk_zoned_model_matches_report",
            "blk_zone_report_sizes", "blk_zone_open_limit", "blk_zone_active_limit", "blk_zone_append_limit",
            "blk_max_append_bound_expect", "blk_zone_write_granularity", "blk_zone_append_needs_swr",
            "blk_zone_append_needs_zone_start", "blk_zone_append_sector", "blk_zone_conventional_ops_invalid",
            "blk_zone_cross_boundary", "blk_zone_read_unwritten", "blk_zone_state_machine", "blk_zone_unaligned_write",
            "blk_zone_write_past_capacity", "blk_config_zoned_erase_alignment", "blk_zone_secure_erase_resets",
            "blk_zone_secure_erase_whole_zones");

    @TempDir
    Path dir;

    // BlkChecks' writes (blk_write_read_back, blk_flush) go to sectors just past the middle of the
    // disk; on a sequential-write-required zone they reset the zone and write at its start instead
    // (BlkDisk.writableSector). The first two layouts keep the zones up to past the middle
    // conventional, so those checks judge plain writes; the last has no conventional zone at all.

    private DeviceReport run(BlkDevice blk, String name) throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(name + ".sock"), blk)) {
            DeviceReport r = Runner.run(new Target(server.path(), Backends.catalog("blk")), name);
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
    void ourHostManagedBlkPassesEveryZonedCheck() throws Exception {
        ZonedOptions o = ZonedOptions.parse("zone-sectors=256,conventional=66,max-open=3,max-active=4,max-append=64,"
                + "granularity=4096");
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "zoned.img", 16), false, "avps-zoned", o)) {
            DeviceReport r = run(blk, "avps-blk-zoned");
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            assertVerdict(r, Verdict.PASSED, HOST_MANAGED);
            assertVerdict(r, Verdict.PASSED, List.of("dev_features_ok_accepted", "dev_config_size",
                    "dev_reserved_config_zero", "dev_request_status_written", "blk_write_read_back", "blk_status_last"));
            assertVerdict(r, Verdict.SKIPPED, List.of("blk_zoned_declined_fields_zero"));
        }
    }

    @Test
    void aZoneCapacityBelowTheZoneSizeAndNoLimitsPassToo() throws Exception {
        ZonedOptions o = ZonedOptions.parse("zone-sectors=128,zone-capacity=96,conventional=34,max-open=0,max-active=0,"
                + "max-append=0,granularity=8192");
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "cap.img", 4), false, "avps-zoned-cap", o)) {
            DeviceReport r = run(blk, "avps-blk-zoned-cap");
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            assertVerdict(r, Verdict.PASSED, List.of("blk_zone_report_sizes", "blk_zone_open_limit", "blk_zone_active_limit",
                    "blk_zone_append_limit", "blk_zone_write_granularity", "blk_zone_cross_boundary",
                    "blk_zone_read_unwritten", "blk_zone_state_machine", "blk_zone_unaligned_write",
                    "blk_zone_write_past_capacity"));
            assertVerdict(r, Verdict.SKIPPED, List.of("blk_zone_append_sector", "blk_zone_append_needs_zone_start",
                    "blk_zone_append_needs_swr"));
            assertEquals("z_cap below the zone size: a write cannot reach the next zone, only the read was tried",
                    r.result("blk_zone_cross_boundary").reason());
        }
    }

    @Test
    void aDriveManagedBlkGoesOnWithoutZonedAndWorksAsAPlainDisk() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "dm.img", 16), false, "avps-dm",
                ZonedOptions.parse("model=none"))) {
            DeviceReport r = run(blk, "avps-blk-zoned-none");
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            assertVerdict(r, Verdict.PASSED, List.of("blk_zoned_declined_fields_zero", "blk_zoned_model_matches_report",
                    "blk_discard", "blk_write_zeroes"));
            assertVerdict(r, Verdict.SKIPPED, List.of("blk_zoned_hm_refuses_features_ok", "blk_zone_report_sizes",
                    "blk_zone_state_machine"));
        }
    }

    @Test
    void withNoConventionalZoneThePlainWriteChecksUseASequentialZoneAndPass() throws Exception {
        ZonedOptions o = ZonedOptions.parse("zone-sectors=256,conventional=0,max-open=3,max-active=4,max-append=64");
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "seq.img", 16), false, "avps-zoned-seq", o)) {
            DeviceReport r = run(blk, "avps-blk-zoned-seq");
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            assertVerdict(r, Verdict.PASSED, List.of("blk_write_read_back", "blk_flush", "blk_zone_state_machine"));
            assertEquals(true, r.result("blk_write_read_back").reason().contains("start of the sequential zone"),
                    r.result("blk_write_read_back").reason());
        }
    }
}
