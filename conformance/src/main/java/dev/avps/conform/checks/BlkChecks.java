package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import java.util.Arrays;
import java.util.List;

/**
 * virtio-blk behaviour (VIRTIO 1.x 5.2), written by hand: data requests and what the device offers
 * and initializes (5.2.5.2). Request types and status values are the catalog's enum literals,
 * looked up by name. Each check works on its own sectors near the middle of the disk, and the run
 * writes to the disk: point it at a scratch image. The rules on special requests are in
 * {@link BlkRequestChecks}.
 */
public final class BlkChecks implements CheckFamily {
    static final int SECTOR = BlkDisk.SECTOR;
    static final int ID_BYTES = BlkDisk.ID_BYTES;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("blk");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("blk_write_read_back", "Two sectors (or, in a sequential zone, one write granule) written then read back"
                        + " return the same bytes.", BlkChecks::writeReadBack),
                new Check("blk_status_last", "The status is the last writable byte whether it has a descriptor of its own or shares one.",
                        BlkChecks::statusLast),
                new Check("blk_flush", "With FLUSH, a flush after a write completes with OK (durability itself is not observable"
                                + " from here).", BlkChecks::flush),
                new Check("blk_ro_write_refused", "With RO, a write gets IOERR and leaves the sector as it was.", BlkChecks::readOnly),
                new Check("blk_get_id", "GET_ID answers OK with at most 20 bytes of ID (or UNSUPP).", BlkChecks::getId),
                new Check("blk_discard", "With DISCARD, discarding one written sector completes with OK.", BlkChecks::discard),
                new Check("blk_write_zeroes", "With WRITE_ZEROES, sectors zeroed with unmap clear and with unmap set both read back as"
                                + " zeros.", BlkChecks::writeZeroes),
                new Check("blk_beyond_capacity_ioerr", "A read (and, on a writable disk, a write) at or across the capacity gets IOERR.",
                        BlkChecks::beyondCapacity),
                new Check("blk_features_offer_flush", "FLUSH is offered (a SHOULD for every blk device).", BlkChecks::offersFlush),
                new Check("blk_features_wce_implies_flush", "A device offering CONFIG_WCE offers FLUSH too.",
                        BlkChecks::wceImpliesFlush),
                new Check("blk_config_writeback_without_flush", "With CONFIG_WCE accepted and FLUSH declined, writeback reads 0"
                                + " once FEATURES_OK is set, and again after a device reset when one is possible.",
                        BlkChecks::writebackWithoutFlush));
    }

    private static void writeReadBack(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.requireWritable();
        long[] at = d.writable(0, 2 * SECTOR);
        long sector = at[0];
        int sectors = (int) (at[1] / SECTOR);
        byte[] data = BlkDisk.pattern((int) at[1], sector);
        d.expect(d.write(sector, data), "OK", "write of " + sectors + " sectors at " + sector);
        Exchange.Result r = d.read(sector, data.length);
        d.expect(r, "OK", "read of " + sectors + " sectors at " + sector);
        CheckFailure.require(Arrays.equals(data, BlkDisk.data(r, data.length)), "the sectors read back differ from"
                + " those written at " + sector);
    }

    private static void statusLast(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        long sector = d.sector(1);
        byte[] hdr = BlkDisk.header(d.type("IN"), sector);
        d.expect(d.s.exchange(0).out(hdr).in(SECTOR).in(1).run(), "OK", "read, status in its own descriptor");
        d.expect(d.s.exchange(0).out(hdr).in(SECTOR + 1).run(), "OK", "read, status sharing the data descriptor");
        byte[] id = BlkDisk.header(d.type("GET_ID"), 0);
        Exchange.Result split = d.s.exchange(0).out(id).in(ID_BYTES).in(1).run();
        Exchange.Result joint = d.s.exchange(0).out(id).in(ID_BYTES + 1).run();
        CheckFailure.require(split.last() == joint.last(), "GET_ID: status " + split.last() + " in its own descriptor,"
                + " " + joint.last() + " sharing one");
        CheckFailure.require(split.last() == d.status("OK") || split.last() == d.status("UNSUPP"),
                "GET_ID: last writable byte " + (split.last() & 0xff) + " is no status");
    }

    private static void flush(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.requireFeature("FLUSH");
        if (!ctx.offers("RO")) {
            long[] at = d.writable(2, SECTOR);
            d.expect(d.write(at[0], BlkDisk.pattern((int) at[1], 2)), "OK", "write before the flush");
        }
        d.expect(d.s.exchange(0).out(BlkDisk.header(d.type("FLUSH"), 0)).in(1).run(), "OK", "flush");
        ctx.note("durability itself is not observable over vhost-user");
    }

    private static void readOnly(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.requireFeature("RO");
        long sector = d.sector(3);
        Exchange.Result before = d.read(sector, SECTOR);
        d.expect(before, "OK", "read before the write");
        byte[] was = BlkDisk.data(before, SECTOR);
        byte[] other = was.clone();
        for (int i = 0; i < other.length; i++) {
            other[i] ^= (byte) 0x5a;
        }
        d.expect(d.write(sector, other), "IOERR", "write to the read-only disk");
        Exchange.Result after = d.read(sector, SECTOR);
        d.expect(after, "OK", "read after the write");
        CheckFailure.require(Arrays.equals(was, BlkDisk.data(after, SECTOR)), "the refused write changed sector " + sector);
    }

    private static void getId(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        Exchange.Result r = d.s.exchange(0).out(BlkDisk.header(d.type("GET_ID"), 0)).in(ID_BYTES).in(1).run();
        if (r.last() == d.status("UNSUPP")) {
            ctx.note("GET_ID unsupported");
            return;
        }
        d.expect(r, "OK", "GET_ID");
        CheckFailure.require(Integer.toUnsignedLong(r.used()) <= ID_BYTES + 1, "used length " + r.used());
        byte[] id = BlkDisk.data(r, ID_BYTES);
        int end = 0;
        while (end < ID_BYTES && id[end] != 0) {
            end++;
        }
        ctx.note("ID \"" + new String(id, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1) + "\"");
    }

    private static void discard(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.requireFeature("DISCARD");
        d.requireWritable();
        long sector = d.sector(4);
        d.expect(d.write(sector, BlkDisk.pattern(SECTOR, 4)), "OK", "write before the discard");
        d.expect(d.ranges("DISCARD", sector, 1), "OK", "discard of 1 sector at " + sector);
    }

    /** Both settings of unmap: the zeroes must read back either way (5.2.6.2). */
    private static void writeZeroes(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.requireFeature("WRITE_ZEROES");
        d.requireWritable();
        long first = d.sector(5);
        for (int unmap = 0; unmap <= 1; unmap++) {
            long sector = first + 2L * unmap;
            String what = "write-zeroes (unmap " + unmap + ") of 2 sectors at " + sector;
            d.expect(d.write(sector, BlkDisk.pattern(2 * SECTOR, 5 + unmap)), "OK", "write before " + what);
            d.expect(d.ranges("WRITE_ZEROES", sector, 2, unmap), "OK", what);
            Exchange.Result r = d.read(sector, 2 * SECTOR);
            d.expect(r, "OK", "read after " + what);
            CheckFailure.require(Arrays.equals(new byte[2 * SECTOR], BlkDisk.data(r, 2 * SECTOR)),
                    "the sectors read back after " + what + " are not all zero");
        }
    }

    private static void beyondCapacity(CheckContext ctx) throws Exception {
        BlkDisk d = new BlkDisk(ctx);
        d.sector(0); // capacity known and large enough
        long cap = d.capacity;
        d.expect(d.read(cap, SECTOR), "IOERR", "read of sector " + cap + " (= capacity)");
        d.expect(d.read(cap - 1, 2 * SECTOR), "IOERR", "read of 2 sectors from " + (cap - 1));
        if (!ctx.offers("RO")) {
            d.expect(d.write(cap, BlkDisk.pattern(SECTOR, 6)), "IOERR", "write of sector " + cap);
        }
    }

    private static void offersFlush(CheckContext ctx) throws CheckFailure {
        CheckFailure.require((ctx.offered() & ctx.bit("FLUSH")) != 0, "FLUSH (bit 9) is not offered: features 0x"
                + Long.toHexString(ctx.offered()));
    }

    private static void wceImpliesFlush(CheckContext ctx) throws Exception {
        if ((ctx.offered() & ctx.bit("CONFIG_WCE")) == 0) {
            throw Inapplicable.skip("CONFIG_WCE is not offered");
        }
        CheckFailure.require((ctx.offered() & ctx.bit("FLUSH")) != 0, "CONFIG_WCE (bit 11) is offered without FLUSH"
                + " (bit 9): features 0x" + Long.toHexString(ctx.offered()));
    }

    /**
     * The driver may read writeback only after FEATURES_OK, which {@link Session} sets when the
     * backend has the STATUS protocol feature; without it, right after SET_FEATURES is the first
     * moment a vhost-user front end has.
     */
    private static void writebackWithoutFlush(CheckContext ctx) throws Exception {
        if (!ctx.offers("CONFIG_WCE")) {
            throw Inapplicable.skip("CONFIG_WCE is not offered");
        }
        FieldLayout wb = ctx.device().config().fields().stream().filter(f -> f.name().equals("writeback")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's blk config has no writeback"));
        long features = ctx.defaultFeatures() & ~ctx.bit("FLUSH");
        try (Session s = ctx.open(features)) {
            if (!s.hasConfig()) {
                throw Inapplicable.notCheckable("the backend does not offer the CONFIG protocol feature: writeback"
                        + " cannot be read");
            }
            int v = s.config(wb.offset() + 1)[wb.offset()] & 0xff;
            CheckFailure.require(v == 0, "writeback reads " + v + " with CONFIG_WCE accepted and FLUSH declined");
            if (s.canReset()) {
                s.reset();
                s.renegotiate();
                v = s.config(wb.offset() + 1)[wb.offset()] & 0xff;
                CheckFailure.require(v == 0, "after a device reset and the same features again, writeback reads " + v);
                ctx.note("writeback 0 at first and after a reset");
            } else {
                ctx.note("writeback 0; no reset to try (neither RESET_DEVICE nor STATUS)");
            }
        }
    }
}
