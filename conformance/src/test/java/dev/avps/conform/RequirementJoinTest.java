package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.model.Catalog;
import dev.avps.conform.report.HtmlReport;
import dev.avps.conform.report.RequirementJoin;
import dev.avps.conform.report.RequirementJoin.Row;
import dev.avps.conform.report.RequirementJoin.Status;
import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.console.ConsoleDevice;
import dev.avps.devices.gpio.GpioDevice;
import dev.avps.devices.i2c.I2cDevice;
import dev.avps.devices.rng.RngDevice;
import dev.avps.model.RequirementModel;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's {@code checked by} is the only link between requirements and checks; the report follows it. */
class RequirementJoinTest {
    /** The devices some check family is written for (the generic families apply to each of them too). */
    private static final List<String> DEVICES = List.of("blk", "rng", "gpio", "i2c", "vsock", "input", "sound", "console", "net");

    /**
     * Implemented checks that test something the catalog has no device requirement for. Each stays
     * uncovered rather than being pinned to a requirement it does not test.
     */
    private static final Set<String> NO_CATALOG_REQUIREMENT = Set.of(
            // Plain data integrity and request shape: the blk chapter states no device-side rule for them.
            "blk_write_read_back", "blk_status_last", "blk_get_id", "blk_beyond_capacity_ioerr",
            // A flush or discard answering OK: the chapter's rules are about durability and
            // deallocation, which a front end cannot see (blk_flush_durable, blk_discard_dealloc).
            "blk_flush", "blk_discard",
            // The runner's own robustness probes: no chapter requirement says how to answer them.
            "dev_config_size", "dev_config_read_only", "dev_queue_count", "dev_request_status_written",
            "dev_malformed_short_readable", "dev_malformed_no_writable", "dev_malformed_readable_after_writable",
            "dev_malformed_unknown_selector",
            // The spec asks for a trusted source, which is not observable; the check is a weak sign only.
            "rng_not_repeating",
            // Line behaviour the gpio chapter leaves to the device's description of its lines.
            "gpio_value_round_trip", "gpio_bad_line_err",
            // The net chapter describes the ack values, the status bits and the returned transmit
            // buffers outside its device requirement sections, and its rules for the MAC table, VLAN
            // table and queue pairs are about their effect on traffic (net_rx_filter_mac_table,
            // net_rx_filter_vlan, net_mq_steering), which these checks do not test: they only see
            // the commands answered.
            "net_status_defined", "net_tx_buffers_returned", "net_ctrl_unknown_err", "net_ctrl_mac_table",
            "net_ctrl_vlan", "net_ctrl_mq_pairs");

    @TempDir
    Path dir;

    @Test
    void everyImplementedCheckIsNamedByTheCatalogOrAllowListed() throws Exception {
        Set<String> implemented = new TreeSet<>();
        Set<String> covered = new TreeSet<>();
        for (String device : DEVICES) {
            Catalog c = Backends.catalog(device);
            for (Check check : Registry.checksFor(c.device())) {
                implemented.add(check.name());
                if (!RequirementJoin.requirementsOf(c, check.name()).isEmpty()) {
                    covered.add(check.name());
                }
            }
        }
        Set<String> uncovered = new TreeSet<>(implemented);
        uncovered.removeAll(covered);
        assertEquals(113, implemented.size(), implemented::toString);
        assertEquals(new TreeSet<>(NO_CATALOG_REQUIREMENT), uncovered,
                "checks no catalog requirement names must be exactly the allow-list");
    }

    @Test
    void statusFollowsTheCatalogAndTheResults() throws Exception {
        Catalog blk = Backends.catalog("blk");
        DeviceReport r = new DeviceReport("blk (made up)", blk, List.of(
                new CheckResult("blk_ro_write_refused", Verdict.FAILED, "the write got OK", 1),
                new CheckResult("blk_write_zeroes", Verdict.PASSED, "", 1),
                new CheckResult("dev_reserved_config_zero", Verdict.NOT_CHECKABLE, "no config access", 1)), "", 3);
        List<Row> rows = RequirementJoin.deviceRows(r);
        assertEquals(Status.FAILED, row(rows, "blk_ro_write").status());
        assertEquals(Status.FAILED, row(rows, "blk_ro_no_data").status());
        assertTrue(row(rows, "blk_ro_write").reason().contains("the write got OK"));
        assertEquals(Status.PASSED, row(rows, "blk_wz_reads_zero").status());
        assertEquals(Status.NOT_CHECKABLE, row(rows, "blk_unused_zero").status());
        assertEquals(Status.NOT_CHECKABLE, row(rows, "blk_flush_durable").status());
        assertEquals(blk.device().requirements().stream().filter(q -> q.id().equals("blk_flush_durable"))
                .findFirst().orElseThrow().notCheckableReason(), row(rows, "blk_flush_durable").reason());
        // Its check exists (BlkZonedChecks) but ZONED is not offered here: skipped, nothing unimplemented.
        Row zone = row(rows, "blk_max_open_zones");
        assertEquals(Status.SKIPPED, zone.status());
        assertEquals(List.of(), zone.unimplemented());
        RequirementJoin.Figures f = RequirementJoin.figures(rows);
        assertEquals(rows.size(), f.modeled());
        assertEquals(3, f.checked(), "blk_ro_write, blk_ro_no_data and blk_wz_reads_zero reached a verdict");
        assertEquals(1, f.passed());
    }

    @Test
    void aPassOnAnAbsentFeatureIsNoCheck() throws Exception {
        DeviceReport r = new DeviceReport("blk without features", Backends.catalog("blk"), 0, List.of(
                new CheckResult("dev_reserved_config_zero", Verdict.PASSED, "", 1)), "", 1);
        List<Row> rows = RequirementJoin.deviceRows(r);
        assertEquals(Status.PASSED, row(rows, "blk_unused_zero").status());
        assertEquals(Status.SKIPPED, row(rows, "blk_unused2_zero").status(), "unused2 exists only with ZONED");
        assertEquals("the backend does not offer ZONED", row(rows, "blk_unused2_zero").reason());
        assertEquals(1, RequirementJoin.figures(rows).checked());
    }

    @Test
    void ourBlkReportListsEveryBlkRequirementWithFigures() throws Exception {
        try (BlkDevice blk = new BlkDevice(Backends.image(dir, "disk.img", 16), false, "avps-join")) {
            DeviceReport r = run("blk", blk, "avps-blk-join");
            assertReportComplete(r);
        }
    }

    @Test
    void ourRngReportListsEveryRngRequirementWithFigures() throws Exception {
        assertReportComplete(run("rng", new RngDevice(), "avps-rng-join"));
    }

    @Test
    void ourGpioReportListsEveryGpioRequirementWithFigures() throws Exception {
        // Without interrupts: the two interrupt requirements count as skipped, the rest are checked.
        assertReportComplete(run("gpio", new GpioDevice("x", "", "y"), "avps-gpio-join"));
    }

    @Test
    void ourI2cReportListsEveryI2cRequirementWithFigures() throws Exception {
        assertReportComplete(run("i2c", new I2cDevice(0x1c), "avps-i2c-join"));
    }

    @Test
    void ourConsoleReportListsEveryConsoleRequirementWithFigures() throws Exception {
        // One named port: the two port requirements are checked, emerg_wr's MUST is skipped (no EMERG_WRITE).
        assertReportComplete(run("console", new ConsoleDevice(List.of("x")), "avps-console-join"));
    }

    private DeviceReport run(String device, VirtioDevice backend, String name) throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(name + ".sock"), backend)) {
            DeviceReport r = Runner.run(new Target(server.path(), Backends.catalog(device)), name);
            Backends.keep(r, name);
            return r;
        }
    }

    /** Every device-side requirement of the chapter is a row, the figures add up, and the page shows both. */
    private static void assertReportComplete(DeviceReport r) {
        List<RequirementModel> modeled = r.catalog().device().requirements().stream()
                .filter(q -> q.party() == RequirementModel.Party.DEVICE).toList();
        List<Row> rows = RequirementJoin.deviceRows(r);
        assertEquals(modeled.stream().map(RequirementModel::id).toList(), rows.stream().map(Row::id).toList());
        RequirementJoin.Figures f = RequirementJoin.figures(rows);
        assertEquals(modeled.size(), f.modeled());
        assertEquals(modeled.stream().filter(q -> q.status() == RequirementModel.Status.CHECKED).count(),
                f.checkable());
        assertTrue(f.checked() > 0, "some requirement of the chapter was checked: " + f);
        assertEquals(f.checked(), f.passed(), "our backend passes every requirement it was checked on: " + f);
        Set<String> ran = new HashSet<>(r.results().stream().map(CheckResult::check).toList());
        for (Row row : rows) {
            boolean verdict = row.requirement().checkNames().stream().anyMatch(n -> ran.contains(n)
                    && (r.result(n).verdict() == Verdict.PASSED || r.result(n).verdict() == Verdict.FAILED));
            boolean onAbsentFeature = row.reason().startsWith("the backend does not offer");
            assertEquals(verdict && !onAbsentFeature, row.checked(), row.id());
            assertFalse(row.status() == Status.FAILED, row.id() + ": " + row.reason());
        }
        String html = HtmlReport.render(r);
        assertTrue(html.contains(f.toString()), "the page prints the figures " + f);
        for (Row row : rows) {
            assertTrue(html.contains(row.where().file() + ":" + row.where().line()), row.id());
            assertTrue(row.where().line() > 0, row.id());
            assertTrue(html.contains("&sect;" + row.requirement().section()), row.id());
        }
        System.out.println("[join] " + r.device() + " chapter: " + f + "; shared rules: "
                + RequirementJoin.figures(RequirementJoin.sharedRows(r)));
    }

    private static Row row(List<Row> rows, String id) {
        return rows.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }
}
