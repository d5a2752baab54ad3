package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.model.DeviceModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * virtio-blk's rules on the special requests of 5.2.6.2, written by hand: which flags a range
 * request may carry, what GET_LIFETIME may say, and that zone requests are refused on a device
 * that was not accepted as zoned. The zoned behaviour itself is another family's.
 */
public final class BlkRequestChecks implements CheckFamily {
    /** Bytes of struct virtio_blk_lifetime and of a zone report's header (the catalog's sizes). */
    static final int LIFETIME_BYTES = 6;
    static final int ZONE_REPORT_HEADER = 64;
    static final int ZONE_DESCRIPTOR = 64;
    /** The highest defined wear estimate (11: lifetime exceeded); above it the values are reserved. */
    static final int MAX_LIFETIME_EST = 11;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("blk");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("blk_range_unknown_flag_unsupp", "Each range request whose feature is offered (discard, write zeroes,"
                                + " secure erase) gets UNSUPP when its segment sets a flag bit the spec does not define.",
                        BlkRequestChecks::unknownFlag),
                new Check("blk_discard_unmap_unsupp", "With DISCARD, a discard whose segment sets unmap gets UNSUPP.",
                        BlkRequestChecks::discardUnmap),
                new Check("blk_get_lifetime_values_defined", "With LIFETIME, GET_LIFETIME answers OK with pre_eol_info in 0..3 and"
                                + " both wear estimates in 0..11.", BlkRequestChecks::lifetime),
                new Check("blk_zone_requests_unsupp_without_zoned", "With ZONED not negotiated, every zone request (report, open,"
                                + " close, finish, reset, reset all, append) gets UNSUPP.",
                        BlkRequestChecks::zoneUnsupp));
    }

    /** The range types and the feature that offers each. */
    private static final String[][] RANGE_TYPES = {{"DISCARD", "DISCARD"}, {"WRITE_ZEROES", "WRITE_ZEROES"},
            {"SECURE_ERASE", "SECURE_ERASE"}};

    /**
     * Bit 1 is the lowest flag the spec leaves undefined and bit 31 the highest; each is tried
     * alone, so a device that masks only some reserved bits shows.
     */
    private static void unknownFlag(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        long sector = d.sector(8);
        List<String> tried = new ArrayList<>();
        for (String[] t : RANGE_TYPES) {
            if (!ctx.offers(t[1])) {
                continue;
            }
            for (int flag : new int[] {1 << 1, 1 << 31}) {
                String what = t[0] + " of 1 sector at " + sector + " with flags 0x" + Integer.toHexString(flag);
                d.expect(d.ranges(t[0], sector, 1, flag), "UNSUPP", what);
            }
            tried.add(t[0]);
        }
        if (tried.isEmpty()) {
            throw Inapplicable.skip("none of DISCARD, WRITE_ZEROES and SECURE_ERASE is offered");
        }
        ctx.note("refused: " + String.join(", ", tried));
    }

    private static void discardUnmap(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.requireFeature("DISCARD");
        long sector = d.sector(9);
        int unmap = (int) d.ctx.device().constants().stream().filter(c -> c.name().equals("VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP"))
                .findFirst().orElseThrow(() -> new IllegalStateException("the catalog's blk has no unmap flag"))
                .value().longValue();
        d.expect(d.ranges("DISCARD", sector, 1, unmap), "UNSUPP", "discard of 1 sector at " + sector + " with unmap set");
    }

    private static void lifetime(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.requireFeature("LIFETIME");
        Exchange.Result r = d.s.exchange(0).out(BlkDisk.header(d.type("GET_LIFETIME"), 0)).in(LIFETIME_BYTES).in(1).run();
        d.expect(r, "OK", "GET_LIFETIME with LIFETIME offered");
        ByteBuffer b = ByteBuffer.wrap(r.written()).order(ByteOrder.LITTLE_ENDIAN);
        int preEol = b.getShort(0) & 0xffff;
        int estA = b.getShort(2) & 0xffff;
        int estB = b.getShort(4) & 0xffff;
        long maxPreEol = d.enumOf("virtio_blk_pre_eol_info").literals().stream()
                .mapToLong(l -> l.value().longValue()).max().orElseThrow();
        List<String> reserved = new ArrayList<>();
        if (preEol > maxPreEol) {
            reserved.add("pre_eol_info " + preEol + " (defined: 0.." + maxPreEol + ")");
        }
        if (estA > MAX_LIFETIME_EST) {
            reserved.add("device_lifetime_est_typ_a " + estA + " (defined: 0.." + MAX_LIFETIME_EST + ")");
        }
        if (estB > MAX_LIFETIME_EST) {
            reserved.add("device_lifetime_est_typ_b " + estB + " (defined: 0.." + MAX_LIFETIME_EST + ")");
        }
        CheckFailure.require(reserved.isEmpty(), "GET_LIFETIME answered reserved values: " + String.join(", ", reserved));
        ctx.note("pre_eol_info " + preEol + ", estimates " + estA + " and " + estB);
    }

    /**
     * ZONED is left out of the negotiation, whether offered or not, so the rule applies to every
     * blk device. Each request is well formed for its type: a report has room for its header and
     * one zone, an append carries one sector and room for append_sector.
     */
    private static void zoneUnsupp(CheckContext ctx) throws Exception {
        if ((ctx.insisted() & ctx.bit("ZONED")) != 0) {
            // A host-managed disk refuses a driver without ZONED (5.2.5.2, its own check): no such
            // driver gets as far as sending a request.
            throw Inapplicable.skip("the disk insists on ZONED (host-managed): a driver without it is refused");
        }
        BlkDisk d = new BlkDisk(ctx, ctx.defaultFeatures() & ~ctx.bit("ZONED"));
        long sector = d.capacity >= 64 ? d.sector(10) : 0;
        List<String> wrong = new ArrayList<>();
        check(d, wrong, "ZONE_REPORT", d.s.exchange(0).out(BlkDisk.header(d.type("ZONE_REPORT"), sector))
                .in(ZONE_REPORT_HEADER + ZONE_DESCRIPTOR).in(1).run());
        for (String mgmt : List.of("ZONE_OPEN", "ZONE_CLOSE", "ZONE_FINISH", "ZONE_RESET", "ZONE_RESET_ALL")) {
            check(d, wrong, mgmt, d.s.exchange(0).out(BlkDisk.header(d.type(mgmt), sector)).in(1).run());
        }
        check(d, wrong, "ZONE_APPEND", d.s.exchange(0).out(BlkDisk.header(d.type("ZONE_APPEND"), sector))
                .out(BlkDisk.pattern(BlkDisk.SECTOR, 10)).in(8).in(1).run());
        CheckFailure.require(wrong.isEmpty(), "zone requests without ZONED negotiated: " + String.join("; ", wrong));
        ctx.note("7 zone request types refused with UNSUPP");
    }

    private static void check(BlkDisk d, List<String> wrong, String type, Exchange.Result r) {
        if (r.last() != d.status("UNSUPP")) {
            wrong.add(type + " got " + d.statusName(r.last()));
        }
    }
}
