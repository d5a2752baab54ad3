package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.checks.ZonedDisk.Zone;
import dev.avps.model.DeviceModel;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.Arrays;
import java.util.List;

/**
 * Zoned virtio-blk (VIRTIO 1.4 5.2, the ZONED parts), written by hand; every check skips when
 * ZONED is not offered. The checks change zones (they start and end with ZONE_RESET_ALL) and
 * write to sequential zones: point the run at a scratch disk.
 */
public final class BlkZonedChecks implements CheckFamily {

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("blk");
    }

    /** A host-managed disk may refuse FEATURES_OK without ZONED (5.2.5.2): other checks keep ZONED. */
    @Override
    public long insistedFeatures(CheckContext ctx) throws Exception {
        if (!ctx.offers("ZONED")) {
            return 0;
        }
        try (Session s = ctx.open()) {
            if (!s.hasConfig()) {
                return 0;
            }
            byte[] c = s.config(ctx.device().config().size());
            int model = c[ZonedDisk.zonedOffset(ctx, "model")] & 0xff;
            return model == ZonedDisk.literal(ctx, "virtio_blk_zoned_model", "VIRTIO_BLK_Z_HM") ? ctx.bit("ZONED") : 0;
        }
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("blk_zoned_declined_fields_zero", "A host-aware or drive-managed disk whose driver declines ZONED keeps"
                        + " FEATURES_OK and reads zero in every zoned field.", BlkZonedChecks::declinedFieldsZero),
                new Check("blk_zoned_hm_refuses_features_ok", "A host-managed disk whose driver declines ZONED clears FEATURES_OK.",
                        BlkZonedChecks::hmRefuses),
                new Check("blk_zoned_model_matches_report", "The zone types fit zoned.model: conventional and SWR zones for"
                        + " host-managed, SWP for host-aware; a drive-managed disk takes writes anywhere.", BlkZonedChecks::modelMatches),
                new Check("blk_zone_report_sizes", "The zones tile the capacity in zone_sectors steps (the last may be smaller),"
                        + " z_cap within the zone, and nr_zones counts whole descriptors only.", BlkZonedChecks::reportSizes),
                new Check("blk_zone_open_limit", "max_open_zones explicit opens succeed, one more gets an open (or active) resource"
                        + " status, and so does a write that would open another zone; the zone stays empty.", BlkZonedChecks::openLimit),
                new Check("blk_zone_active_limit", "max_active_zones zones can be active; a write or open of one more gets"
                        + " ACTIVE_RESOURCE and leaves it empty.", BlkZonedChecks::activeLimit),
                new Check("blk_zone_append_limit", "An append of max_append_sectors succeeds and a larger one gets ZONE_INVALID_CMD"
                        + " (UNSUPP when the limit is 0).", BlkZonedChecks::appendLimit),
                new Check("blk_zone_write_granularity", "write_granularity is non-zero and a sequential write smaller than it"
                        + " gets ZONE_UNALIGNED_WP while one of exactly it succeeds.", BlkZonedChecks::writeGranularity),
                new Check("blk_config_zoned_erase_alignment", "With SECURE_ERASE, secure_erase_sector_alignment is a multiple of"
                        + " zone_sectors.", BlkZonedChecks::eraseAlignment),
                new Check("blk_zone_append_needs_swr", "An append to a conventional (or SWP) zone gets ZONE_INVALID_CMD and writes"
                        + " nothing.", BlkZonedChecks::appendNeedsSwr),
                new Check("blk_zone_append_needs_zone_start", "An append whose sector is not a zone's first (even the write"
                        + " pointer) gets ZONE_INVALID_CMD.", BlkZonedChecks::appendNeedsZoneStart),
                new Check("blk_zone_append_sector", "Successful appends return the write pointer they wrote at, and the data"
                        + " reads back there.", BlkZonedChecks::appendSector),
                new Check("blk_zone_conventional_ops_invalid", "Open, close, finish and reset of a conventional zone get"
                        + " ZONE_INVALID_CMD and leave its data alone.", BlkZonedChecks::conventionalOpsInvalid),
                new Check("blk_zone_cross_boundary", "A read, write or append to a sequential zone that runs into the next zone"
                        + " gets ZONE_INVALID_CMD.", BlkZonedChecks::crossBoundary),
                new Check("blk_zone_read_unwritten", "Sectors past the write pointer (after a reset, or skipped by a finish)"
                        + " never return the old data: a fill pattern, or a failed read.", BlkZonedChecks::readUnwritten),
                new Check("blk_zone_secure_erase_resets", "With SECURE_ERASE, erasing a whole zone leaves it empty with the write"
                        + " pointer at its start.", BlkZonedChecks::secureEraseResets),
                new Check("blk_zone_secure_erase_whole_zones", "With SECURE_ERASE, an erase of part of a zone is refused and"
                        + " changes nothing.", BlkZonedChecks::secureEraseWholeZones),
                new Check("blk_zone_state_machine", "Open, close, finish and reset move a sequential zone as 5.2.6 says; open and"
                        + " close of a full zone get ZONE_INVALID_CMD and leave it full.", BlkZonedChecks::stateMachine),
                new Check("blk_zone_unaligned_write", "Writes behind or ahead of the write pointer get ZONE_UNALIGNED_WP and"
                        + " move nothing.", BlkZonedChecks::unalignedWrite),
                new Check("blk_zone_write_past_capacity", "A write or append running past the zone's writable capacity gets"
                        + " ZONE_INVALID_CMD; one that reaches it exactly fills the zone.", BlkZonedChecks::writePastCapacity));
    }

    private static void declinedFieldsZero(CheckContext ctx) throws Exception {
        ZonedDisk.requireZoned(ctx);
        if ((ctx.insisted() & ctx.bit("ZONED")) != 0) {
            throw Inapplicable.skip("a host-managed disk must refuse FEATURES_OK instead (blk_zoned_hm_refuses_features_ok)");
        }
        try (Session s = ctx.open(ctx.defaultFeatures() & ~ctx.bit("ZONED"))) {
            if (!s.hasConfig()) {
                throw Inapplicable.notCheckable("no CONFIG protocol feature: the zoned fields cannot be read");
            }
            byte[] c = s.config(ctx.device().config().size());
            int at = ZonedDisk.zonedOffset(ctx, "zone_sectors");
            byte[] zoned = Arrays.copyOfRange(c, at, at + ZonedDisk.zonedBytes(ctx));
            CheckFailure.require(Arrays.equals(zoned, new byte[zoned.length]), "with ZONED declined the zoned block reads "
                    + java.util.HexFormat.of().formatHex(zoned));
            ctx.note("FEATURES_OK kept without ZONED" + (s.hasStatus() ? "" : " (no STATUS: acceptance not observed)"));
        } catch (FrontEndException e) {
            throw new CheckFailure("with ZONED declined, a disk that is not host-managed refused: " + e.getMessage());
        }
    }

    private static void hmRefuses(CheckContext ctx) throws Exception {
        ZonedDisk.requireZoned(ctx);
        int model;
        try (Session s = ctx.open()) {
            if (!s.hasConfig()) {
                throw Inapplicable.notCheckable("no CONFIG protocol feature: zoned.model cannot be read");
            }
            model = s.config(ctx.device().config().size())[ZonedDisk.zonedOffset(ctx, "model")] & 0xff;
        }
        if (model != ZonedDisk.literal(ctx, "virtio_blk_zoned_model", "VIRTIO_BLK_Z_HM")) {
            throw Inapplicable.skip("zoned.model is " + model + ", not host-managed");
        }
        try (Session s = ctx.open(ctx.defaultFeatures() & ~ctx.bit("ZONED"))) {
            if (!s.hasStatus()) {
                throw Inapplicable.notCheckable("no STATUS protocol feature: whether FEATURES_OK was kept is not observable");
            }
            throw new CheckFailure("a host-managed disk kept FEATURES_OK with ZONED declined (status 0x"
                    + Long.toHexString(s.status()) + ")");
        } catch (FrontEndException e) {
            CheckFailure.require(e.reason() == FrontEndException.Reason.NACK, "declining ZONED: " + e.getMessage());
            ctx.note(e.getMessage());
            ctx.requireAlive("refusing FEATURES_OK");
        }
    }

    private static void modelMatches(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        if (d.model == d.zonedModel("NONE")) {
            // A drive-managed disk works as a plain one: writes need no write pointer.
            if (d.capacity < 64) {
                throw Inapplicable.skip("the disk has only " + d.capacity + " sectors");
            }
            long at = d.capacity / 2;
            d.expect(d.write(at + 8, ZonedDisk.pattern(ZonedDisk.SECTOR, 1)), "OK", "drive-managed: write at " + (at + 8));
            d.expect(d.write(at, ZonedDisk.pattern(ZonedDisk.SECTOR, 2)), "OK", "drive-managed: write behind it at " + at);
            ctx.note("drive-managed: writes out of order accepted");
            return;
        }
        boolean hm = d.model == d.zonedModel("HM");
        CheckFailure.require(hm || d.model == d.zonedModel("HA"), "zoned.model " + d.model + " is no defined model");
        d.requireZones();
        int sequential = d.zoneType(hm ? "SWR" : "SWP");
        int seen = 0;
        for (Zone z : d.allZones()) {
            CheckFailure.require(z.type() == d.zoneType("CONV") || z.type() == sequential, "zone " + z.start() + " has type "
                    + z.type() + " on a " + (hm ? "host-managed" : "host-aware") + " disk");
            if (z.type() == sequential) {
                seen++;
            } else {
                CheckFailure.require(z.state() == d.zoneState("NOT_WP"), "conventional zone " + z.start() + " is in state "
                        + d.stateName(z.state()) + ", not NOT_WP");
            }
        }
        CheckFailure.require(seen > 0, "no " + (hm ? "SWR" : "SWP") + " zone on a disk whose model says it has them");
        ctx.note(seen + " sequential zone(s)");
    }

    private static void reportSizes(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        long n = (d.capacity + d.zoneSectors - 1) / d.zoneSectors;
        List<Zone> zones = d.allZones();
        CheckFailure.require(zones.size() == n, zones.size() + " zones reported; capacity " + d.capacity + " in zones of "
                + d.zoneSectors + " makes " + n);
        for (int i = 0; i < n; i++) {
            Zone z = zones.get(i);
            long size = Math.min(d.zoneSectors, d.capacity - i * d.zoneSectors);
            CheckFailure.require(z.start() == i * d.zoneSectors, "zone " + i + " starts at " + z.start() + ", not "
                    + i * d.zoneSectors);
            CheckFailure.require(z.cap() <= size, "zone " + i + " has z_cap " + z.cap() + " beyond its size " + size);
        }
        if (n >= 2) {
            ZonedDisk.Report half = d.report(0, 1, ZonedDisk.DESCRIPTOR / 2);
            d.expect(half.status(), "OK", "ZONE_REPORT with room for 1.5 descriptors");
            CheckFailure.require(half.nrZones() == 1, "with room for 1.5 descriptors nr_zones is " + half.nrZones()
                    + ": it must count whole descriptors only");
            Zone second = d.zone(d.zoneSectors + 1);
            CheckFailure.require(second.start() == d.zoneSectors, "a report from sector " + (d.zoneSectors + 1)
                    + " starts with zone " + second.start() + ", not the one holding that sector");
        }
        ctx.note(n + " zones of " + d.zoneSectors + " sectors, the last " + (d.capacity - (n - 1) * d.zoneSectors));
    }

    private static void openLimit(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        List<Zone> swr = d.all("SWR");
        d.resetAll();
        try {
            if (d.maxOpen == 0) {
                int k = Math.min(16, swr.size());
                for (int i = 0; i < k; i++) {
                    d.expect(d.manage("OPEN", swr.get(i).start()), "OK", "no open limit: open of zone " + swr.get(i).start());
                }
                ctx.note("max_open_zones 0: " + k + " zones opened");
                return;
            }
            if (swr.size() <= d.maxOpen) {
                throw Inapplicable.skip("max_open_zones " + d.maxOpen + " is not below the " + swr.size() + " SWR zones");
            }
            for (int i = 0; i < d.maxOpen; i++) {
                d.expect(d.manage("OPEN", swr.get(i).start()), "OK", "open " + (i + 1) + " of max_open_zones " + d.maxOpen);
            }
            Zone extra = swr.get((int) d.maxOpen);
            // Exceeding both limits at once is reported as the active one (5.2.6).
            String expected = d.maxActive != 0 && d.maxActive <= d.maxOpen ? "ZONE_ACTIVE_RESOURCE" : "ZONE_OPEN_RESOURCE";
            d.expect(d.manage("OPEN", extra.start()), expected, "explicit open past max_open_zones " + d.maxOpen);
            d.expectState(extra.start(), "after the refused open", "EMPTY");
            // Explicitly open zones cannot be closed for an implicit open: the write has no room either.
            d.expect(d.write(extra.start(), ZonedDisk.pattern(d.granule(), 5)), expected,
                    "write that would open zone " + extra.start() + " past max_open_zones");
            d.expectState(extra.start(), "after the refused write", "EMPTY");
            d.expectWp(extra.start(), extra.start(), "after the refused write");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void activeLimit(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        List<Zone> swr = d.all("SWR");
        d.resetAll();
        try {
            int k = d.maxActive == 0 ? Math.min(16, swr.size()) : (int) d.maxActive;
            if (d.maxActive != 0 && swr.size() <= d.maxActive) {
                throw Inapplicable.skip("max_active_zones " + d.maxActive + " is not below the " + swr.size() + " SWR zones");
            }
            for (int i = 0; i < k; i++) {
                long z = swr.get(i).start();
                d.expect(d.write(z, ZonedDisk.pattern(d.granule(), z)), "OK", "write opening zone " + z + " (" + (i + 1)
                        + " active)");
                // Closed zones stay active but hold no open resource, so the open limit is not what stops us.
                d.expect(d.manage("CLOSE", z), "OK", "close of zone " + z);
                d.expectState(z, "after the close", "CLOSED");
            }
            if (d.maxActive == 0) {
                ctx.note("max_active_zones 0: " + k + " zones active");
                return;
            }
            Zone extra = swr.get(k);
            d.expect(d.write(extra.start(), ZonedDisk.pattern(d.granule(), 6)), "ZONE_ACTIVE_RESOURCE",
                    "write that would activate zone " + extra.start() + " past max_active_zones " + d.maxActive);
            d.expect(d.manage("OPEN", extra.start()), "ZONE_ACTIVE_RESOURCE", "open past max_active_zones " + d.maxActive);
            d.expectState(extra.start(), "after the refused write and open", "EMPTY");
            d.expect(d.manage("OPEN", swr.get(0).start()), "OK", "open of a closed (already active) zone");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void appendLimit(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        Zone z = d.nth("SWR", 0);
        d.resetAll();
        try {
            if (d.maxAppend == 0) {
                d.expect((byte) d.append(z.start(), ZonedDisk.pattern(d.granule(), 7))[0], "UNSUPP",
                        "append with max_append_sectors 0");
                return;
            }
            long over = d.maxAppend + d.granuleSectors();
            if (over * ZonedDisk.SECTOR > ZonedDisk.MAX_REQUEST) {
                throw Inapplicable.notCheckable("max_append_sectors " + d.maxAppend + " needs appends larger than the "
                        + ZonedDisk.MAX_REQUEST + " bytes this front end sends at once");
            }
            if (d.maxAppend <= z.cap()) {
                d.expect((byte) d.append(z.start(), ZonedDisk.pattern((int) d.maxAppend * ZonedDisk.SECTOR, 8))[0], "OK",
                        "append of max_append_sectors " + d.maxAppend);
                d.expect(d.manage("RESET", z.start()), "OK", "reset after the append");
            }
            d.expect((byte) d.append(z.start(), ZonedDisk.pattern((int) over * ZonedDisk.SECTOR, 9))[0], "ZONE_INVALID_CMD",
                    "append of " + over + " sectors, past max_append_sectors " + d.maxAppend);
            d.expectWp(z.start(), z.start(), "after the refused append");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void writeGranularity(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        CheckFailure.require(d.granularity > 0, "write_granularity is 0");
        Zone z = d.nth("SWR", 0);
        d.resetAll();
        try {
            if (d.granularity > ZonedDisk.SECTOR) {
                d.expect(d.write(z.start(), ZonedDisk.pattern(ZonedDisk.SECTOR, 10)), "ZONE_UNALIGNED_WP",
                        "one-sector write with write_granularity " + d.granularity);
                d.expectWp(z.start(), z.start(), "after the refused write");
            }
            d.expect(d.write(z.start(), ZonedDisk.pattern(d.granule(), 11)), "OK", "write of write_granularity bytes");
            d.expectWp(z.start(), z.start() + d.granuleSectors(), "after a granule was written");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void eraseAlignment(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        requireSecureErase(ctx);
        d.requireZones();
        long align = d.configField("secure_erase_sector_alignment");
        CheckFailure.require(align % d.zoneSectors == 0, "secure_erase_sector_alignment " + align
                + " is not a multiple of zone_sectors " + d.zoneSectors);
    }

    private static void requireSecureErase(CheckContext ctx) throws Inapplicable {
        if (!ctx.offers("SECURE_ERASE")) {
            throw Inapplicable.skip("SECURE_ERASE is not offered");
        }
    }

    private static void appendNeedsSwr(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        d.requireAppends();
        Zone z;
        List<Zone> conv = d.all("CONV");
        if (!conv.isEmpty()) {
            z = conv.get(0);
        } else {
            z = d.nth("SWP", 0); // a host-aware disk's zones take no appends either
        }
        byte[] before = d.read(z.start(), d.granule()).written();
        d.expect((byte) d.append(z.start(), ZonedDisk.pattern(d.granule(), 12))[0], "ZONE_INVALID_CMD",
                "append to zone " + z.start() + " of type " + z.type());
        Exchange.Result after = d.read(z.start(), d.granule());
        CheckFailure.require(Arrays.equals(before, after.written()), "the refused append changed zone " + z.start());
    }

    private static void appendNeedsZoneStart(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        d.requireAppends();
        Zone z = d.nth("SWR", 0);
        d.resetAll();
        try {
            long wp = z.start() + d.granuleSectors();
            d.expect(d.write(z.start(), ZonedDisk.pattern(d.granule(), 13)), "OK", "write of one granule");
            d.expect((byte) d.append(wp, ZonedDisk.pattern(d.granule(), 14))[0], "ZONE_INVALID_CMD",
                    "append at the write pointer " + wp + " rather than the zone's start " + z.start());
            d.expectWp(z.start(), wp, "after the refused append");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void appendSector(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        d.requireAppends();
        Zone z = d.nth("SWR", 0);
        int g = d.granule();
        if (g / ZonedDisk.SECTOR > d.maxAppend || 3L * g / ZonedDisk.SECTOR > z.cap()) {
            throw Inapplicable.skip("the zone or max_append_sectors is smaller than the granules this check appends");
        }
        d.resetAll();
        try {
            byte[] a = ZonedDisk.pattern(g, 15);
            byte[] b = ZonedDisk.pattern(g, 16);
            byte[] c = ZonedDisk.pattern(g, 17);
            d.expect(d.write(z.start(), a), "OK", "write of the first granule");
            for (int i = 1; i <= 2; i++) {
                long[] r = d.append(z.start(), i == 1 ? b : c);
                d.expect((byte) r[0], "OK", "append " + i);
                long expected = z.start() + i * d.granuleSectors();
                CheckFailure.require(r[1] == expected, "append " + i + " reports append_sector " + r[1]
                        + "; the write pointer was " + expected);
            }
            Exchange.Result back = d.read(z.start(), 3 * g);
            d.expect(back.last(), "OK", "read of the three granules");
            byte[] all = back.written();
            CheckFailure.require(Arrays.equals(a, Arrays.copyOfRange(all, 0, g))
                    && Arrays.equals(b, Arrays.copyOfRange(all, g, 2 * g))
                    && Arrays.equals(c, Arrays.copyOfRange(all, 2 * g, 3 * g)), "the appended data is not where"
                    + " append_sector said");
            d.expectWp(z.start(), z.start() + 3 * d.granuleSectors(), "after two appends");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void conventionalOpsInvalid(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        List<Zone> conv = d.all("CONV");
        if (conv.isEmpty()) {
            throw Inapplicable.skip("the disk has no conventional zone");
        }
        Zone z = conv.get(0);
        byte[] data = ZonedDisk.pattern(ZonedDisk.SECTOR, 18);
        d.expect(d.write(z.start(), data), "OK", "write to conventional zone " + z.start());
        for (String op : List.of("OPEN", "CLOSE", "FINISH", "RESET")) {
            d.expect(d.manage(op, z.start()), "ZONE_INVALID_CMD", "ZONE_" + op + " of conventional zone " + z.start());
        }
        d.expectState(z.start(), "after the refused requests", "NOT_WP");
        Exchange.Result r = d.read(z.start(), ZonedDisk.SECTOR);
        d.expect(r.last(), "OK", "read back");
        CheckFailure.require(Arrays.equals(data, Arrays.copyOf(r.written(), ZonedDisk.SECTOR)),
                "the conventional zone's data changed");
    }

    private static void crossBoundary(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        List<Zone> swr = d.all("SWR");
        if (swr.size() < 2 || swr.get(1).start() != swr.get(0).start() + d.zoneSectors) {
            throw Inapplicable.skip("the disk has no two adjacent full-size SWR zones");
        }
        Zone z = swr.get(0);
        long next = swr.get(1).start();
        d.resetAll();
        try {
            d.expect(d.read(next - 1, 2 * ZonedDisk.SECTOR).last(), "ZONE_INVALID_CMD",
                    "read of sectors " + (next - 1) + ".." + next + " across two SWR zones");
            int g = d.granule();
            if (z.cap() != d.zoneSectors) {
                ctx.note("z_cap below the zone size: a write cannot reach the next zone, only the read was tried");
                return;
            }
            if ((d.zoneSectors - d.granuleSectors()) * ZonedDisk.SECTOR > 64L << 20) {
                ctx.note("zones over 64 MiB are not filled: only the read was tried");
                return;
            }
            long wp = next - d.granuleSectors();
            d.fill(z, z.start(), wp);
            d.expect(d.write(wp, ZonedDisk.pattern(2 * g, 19)), "ZONE_INVALID_CMD",
                    "write of two granules at " + wp + ", one granule before the next zone");
            d.expectWp(z.start(), wp, "after the refused write");
            d.expectState(next, "the next zone after the refused write", "EMPTY");
            if (d.maxAppend >= 2 * d.granuleSectors()) {
                d.expect((byte) d.append(z.start(), ZonedDisk.pattern(2 * g, 20))[0], "ZONE_INVALID_CMD",
                        "append of two granules one granule before the next zone");
                d.expectWp(z.start(), wp, "after the refused append");
            }
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void readUnwritten(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        Zone z = d.nth("SWR", 0);
        int g = d.granule();
        if (2L * g / ZonedDisk.SECTOR > z.cap()) {
            throw Inapplicable.skip("the zone holds fewer than two granules");
        }
        d.resetAll();
        try {
            byte[] old = ZonedDisk.pattern(2 * g, 21);
            d.expect(d.write(z.start(), old), "OK", "write of two granules");
            d.expect(d.manage("RESET", z.start()), "OK", "reset");
            byte[] fresh = ZonedDisk.pattern(g, 22);
            d.expect(d.write(z.start(), fresh), "OK", "write of one granule after the reset");
            judgeUnwritten(d, z, fresh, old, "past the write pointer after a reset");
            d.expect(d.manage("FINISH", z.start()), "OK", "finish");
            judgeUnwritten(d, z, fresh, old, "skipped by a finish");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    /** The first granule reads back as written; the second is either refused or not the old data. */
    private static void judgeUnwritten(ZonedDisk d, Zone z, byte[] fresh, byte[] old, String what) throws Exception {
        int g = fresh.length;
        Exchange.Result written = d.read(z.start(), g);
        d.expect(written.last(), "OK", "read of the written granule");
        CheckFailure.require(Arrays.equals(fresh, Arrays.copyOf(written.written(), g)), "the written granule reads back wrong");
        Exchange.Result r = d.read(z.start(), 2 * g);
        if (r.last() != d.status("OK")) {
            d.ctx.note("a read of unwritten sectors " + what + " fails (" + d.statusName(r.last()) + ")");
            return;
        }
        byte[] tail = Arrays.copyOfRange(r.written(), g, 2 * g);
        CheckFailure.require(!Arrays.equals(tail, Arrays.copyOfRange(old, g, 2 * g)),
                "the unwritten sectors " + what + " return the data written before the reset");
        CheckFailure.require(Arrays.equals(fresh, Arrays.copyOf(r.written(), g)), "the written granule reads back wrong"
                + " next to unwritten sectors");
    }

    private static void secureEraseResets(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        requireSecureErase(ctx);
        d.requireZones();
        Zone z = d.nth("SWR", 0);
        d.resetAll();
        try {
            d.expect(d.write(z.start(), ZonedDisk.pattern(d.granule(), 23)), "OK", "write before the erase");
            d.expect(erase(d, z.start(), d.zoneSectors), "OK", "secure erase of zone " + z.start());
            d.expectState(z.start(), "after the secure erase", "EMPTY");
            d.expectWp(z.start(), z.start(), "after the secure erase");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void secureEraseWholeZones(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        requireSecureErase(ctx);
        d.requireZones();
        Zone z = d.nth("SWR", 0);
        d.resetAll();
        try {
            d.expect(d.write(z.start(), ZonedDisk.pattern(d.granule(), 24)), "OK", "write before the erase");
            byte got = erase(d, z.start(), d.granuleSectors());
            CheckFailure.require(got != d.status("OK"), "a secure erase of " + d.granuleSectors() + " sectors, less than"
                    + " zone_sectors " + d.zoneSectors + ", succeeded");
            d.expectWp(z.start(), z.start() + d.granuleSectors(), "after the refused erase");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static byte erase(ZonedDisk d, long sector, long sectors) throws FrontEndException {
        byte[] seg = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(sector)
                .putInt((int) sectors).putInt(0).array();
        return d.s.exchange(0).out(ZonedDisk.header(d.type("SECURE_ERASE"), 0)).out(seg).in(1).run().last();
    }

    private static void stateMachine(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        Zone z = d.nth("SWR", 0);
        long s = z.start();
        d.resetAll();
        try {
            d.expectState(s, "after RESET_ALL", "EMPTY");
            d.expect(d.manage("OPEN", s), "OK", "open of an empty zone");
            d.expectState(s, "after the open", "EOPEN");
            d.expect(d.manage("OPEN", s), "OK", "open of an explicitly open zone");
            d.expect(d.manage("CLOSE", s), "OK", "close with nothing written");
            d.expectState(s, "after closing an open zone with nothing written", "EMPTY");
            d.expect(d.write(s, ZonedDisk.pattern(d.granule(), 25)), "OK", "write at the write pointer");
            // The device may close implicitly open zones on its own (5.2.6.2), so closed is fine too.
            d.expectState(s, "after a write to an empty zone", "IOPEN", "CLOSED");
            d.expectWp(s, s + d.granuleSectors(), "after one granule");
            d.expect(d.manage("CLOSE", s), "OK", "close of a written zone");
            d.expectState(s, "after the close", "CLOSED");
            d.expect(d.manage("CLOSE", s), "OK", "close of a closed zone");
            d.expect(d.manage("OPEN", s), "OK", "open of a closed zone");
            d.expectState(s, "after opening a closed zone", "EOPEN");
            d.expect(d.manage("FINISH", s), "OK", "finish of an open zone");
            d.expectState(s, "after the finish", "FULL");
            d.expect(d.manage("FINISH", s), "OK", "finish of a full zone");
            d.expect(d.manage("OPEN", s), "ZONE_INVALID_CMD", "open of a full zone");
            d.expect(d.manage("CLOSE", s), "ZONE_INVALID_CMD", "close of a full zone");
            d.expectState(s, "after the refused open and close", "FULL");
            d.expect(d.manage("RESET", s), "OK", "reset of a full zone");
            d.expectState(s, "after the reset", "EMPTY");
            d.expectWp(s, s, "after the reset");
            d.expect(d.manage("RESET", s), "OK", "reset of an empty zone");
            d.expect(d.write(s, ZonedDisk.pattern(d.granule(), 26)), "OK", "write after the reset");
            d.resetAll();
            d.expectState(s, "after RESET_ALL", "EMPTY");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void unalignedWrite(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        Zone z;
        try {
            z = d.nth("SWR", 0);
        } catch (Inapplicable e) {
            throw Inapplicable.skip("no SWR zone: only those require writes at the write pointer");
        }
        int g = d.granule();
        if (3L * g / ZonedDisk.SECTOR > z.cap()) {
            throw Inapplicable.skip("the zone holds fewer than three granules");
        }
        d.resetAll();
        try {
            byte[] first = ZonedDisk.pattern(g, 27);
            d.expect(d.write(z.start(), first), "OK", "write at the write pointer");
            long wp = z.start() + d.granuleSectors();
            d.expect(d.write(z.start(), ZonedDisk.pattern(g, 28)), "ZONE_UNALIGNED_WP", "write behind the write pointer");
            d.expect(d.write(wp + d.granuleSectors(), ZonedDisk.pattern(g, 29)), "ZONE_UNALIGNED_WP",
                    "write one granule ahead of the write pointer");
            d.expectWp(z.start(), wp, "after the refused writes");
            Exchange.Result r = d.read(z.start(), g);
            CheckFailure.require(Arrays.equals(first, Arrays.copyOf(r.written(), g)), "a refused write changed the zone's data");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }

    private static void writePastCapacity(CheckContext ctx) throws Exception {
        ZonedDisk d = ZonedDisk.open(ctx);
        d.requireZones();
        Zone z = d.nth("SWR", 0);
        if (z.cap() * ZonedDisk.SECTOR > 64L << 20) {
            throw Inapplicable.notCheckable("the zone's capacity is over 64 MiB: filling it is too slow for a check");
        }
        int g = d.granule();
        d.resetAll();
        try {
            long wp = z.start() + z.cap() - d.granuleSectors();
            d.fill(z, z.start(), wp);
            d.expect(d.write(wp, ZonedDisk.pattern(2 * g, 30)), "ZONE_INVALID_CMD",
                    "write of two granules with one left before z_cap");
            d.expectWp(z.start(), wp, "after the refused write");
            if (d.maxAppend >= 2 * d.granuleSectors()) {
                d.expect((byte) d.append(z.start(), ZonedDisk.pattern(2 * g, 31))[0], "ZONE_INVALID_CMD",
                        "append of two granules with one left");
                d.expectWp(z.start(), wp, "after the refused append");
            }
            d.expect(d.write(wp, ZonedDisk.pattern(g, 32)), "OK", "write of the last granule");
            d.expectState(z.start(), "after writing up to z_cap", "FULL");
        } finally {
            d.manage("RESET_ALL", 0);
        }
    }
}
