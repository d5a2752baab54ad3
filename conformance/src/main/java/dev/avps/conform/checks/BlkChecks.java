package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * virtio-blk behaviour (VIRTIO 1.x 5.2), written by hand. Request types and status values are
 * the catalog's enum literals, looked up by name. Each check works on its own sectors near the
 * middle of the disk, and the run writes to the disk: point it at a scratch image.
 */
public final class BlkChecks implements CheckFamily {
    static final int SECTOR = 512;
    static final int ID_BYTES = 20;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("blk");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("blk_write_read_back", "Two sectors written then read back return the same bytes.", BlkChecks::writeReadBack),
                new Check("blk_status_last", "The status is the last writable byte whether it has a descriptor of its own or shares one.",
                        BlkChecks::statusLast),
                new Check("blk_flush", "With FLUSH, a flush after a write completes with OK (durability itself is not observable"
                                + " from here).", BlkChecks::flush),
                new Check("blk_ro_write_refused", "With RO, a write gets IOERR and leaves the sector as it was.", BlkChecks::readOnly),
                new Check("blk_get_id", "GET_ID answers OK with at most 20 bytes of ID (or UNSUPP).", BlkChecks::getId),
                new Check("blk_discard", "With DISCARD, discarding one written sector completes with OK.", BlkChecks::discard),
                new Check("blk_write_zeroes", "With WRITE_ZEROES, zeroed sectors read back as zeros.", BlkChecks::writeZeroes),
                new Check("blk_beyond_capacity_ioerr", "A read (and, on a writable disk, a write) at or across the capacity gets IOERR.",
                        BlkChecks::beyondCapacity));
    }

    /** A session with the disk's facts: capacity and the catalog's numbers. */
    private static final class Disk {
        final CheckContext ctx;
        final Session s;
        final long capacity;

        Disk(CheckContext ctx) throws Exception {
            this.ctx = ctx;
            this.s = ctx.open();
            long cap = -1;
            if (s.hasConfig()) {
                cap = ByteBuffer.wrap(s.config(8)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            }
            this.capacity = cap;
        }

        long type(String name) {
            return literal("virtio_blk_type", "VIRTIO_BLK_T_" + name);
        }

        byte status(String name) {
            return (byte) literal("virtio_blk_status", "VIRTIO_BLK_S_" + name);
        }

        private long literal(String enumName, String name) {
            EnumModel e = ctx.device().enums().stream().filter(x -> x.name().equals(enumName)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the catalog's blk has no enum " + enumName));
            return e.literals().stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(enumName + " has no " + name)).value().longValue();
        }

        /** A sector range well inside the disk for check {@code slot}, away from sector 0. */
        long sector(int slot) throws Inapplicable {
            long cap = capacity >= 0 ? capacity : 0;
            if (capacity < 0) {
                throw Inapplicable.notCheckable("the capacity is unknown (no CONFIG protocol feature)");
            }
            if (cap < 64) {
                throw Inapplicable.skip("the disk has only " + cap + " sectors");
            }
            return cap / 2 + slot * 8L;
        }

        static byte[] header(long type, long sector) {
            return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) type).putInt(0)
                    .putLong(sector).array();
        }

        Exchange.Result write(long sector, byte[] data) throws FrontEndException {
            return s.exchange(0).out(header(type("OUT"), sector)).out(data).in(1).run();
        }

        Exchange.Result read(long sector, int bytes) throws FrontEndException {
            return s.exchange(0).out(header(type("IN"), sector)).in(bytes).in(1).run();
        }

        Exchange.Result ranges(String type, long sector, int sectors) throws FrontEndException {
            byte[] seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sector).putInt(sectors)
                    .putInt(0).array();
            return s.exchange(0).out(header(type(type), sector)).out(seg).in(1).run();
        }

        void expect(Exchange.Result r, String status, String what) throws CheckFailure {
            CheckFailure.require(r.last() == status(status), what + ": status " + (r.last() & 0xff) + ", expected "
                    + status + " (" + status(status) + ")");
        }

        byte[] data(Exchange.Result r, int bytes) {
            return Arrays.copyOf(r.written(), bytes);
        }

        void requireWritable() throws Inapplicable {
            if (ctx.offers("RO")) {
                throw Inapplicable.skip("the disk is read-only (RO offered)");
            }
        }

        void requireFeature(String name) throws Inapplicable {
            if (!ctx.offers(name)) {
                throw Inapplicable.skip(name + " is not offered");
            }
        }
    }

    private static byte[] pattern(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void writeReadBack(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        d.requireWritable();
        long sector = d.sector(0);
        byte[] data = pattern(2 * SECTOR, sector);
        d.expect(d.write(sector, data), "OK", "write of 2 sectors at " + sector);
        Exchange.Result r = d.read(sector, 2 * SECTOR);
        d.expect(r, "OK", "read of 2 sectors at " + sector);
        CheckFailure.require(Arrays.equals(data, d.data(r, data.length)), "the sectors read back differ from"
                + " those written at " + sector);
    }

    private static void statusLast(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        long sector = d.sector(1);
        byte[] hdr = Disk.header(d.type("IN"), sector);
        d.expect(d.s.exchange(0).out(hdr).in(SECTOR).in(1).run(), "OK", "read, status in its own descriptor");
        d.expect(d.s.exchange(0).out(hdr).in(SECTOR + 1).run(), "OK", "read, status sharing the data descriptor");
        byte[] id = Disk.header(d.type("GET_ID"), 0);
        Exchange.Result split = d.s.exchange(0).out(id).in(ID_BYTES).in(1).run();
        Exchange.Result joint = d.s.exchange(0).out(id).in(ID_BYTES + 1).run();
        CheckFailure.require(split.last() == joint.last(), "GET_ID: status " + split.last() + " in its own descriptor,"
                + " " + joint.last() + " sharing one");
        CheckFailure.require(split.last() == d.status("OK") || split.last() == d.status("UNSUPP"),
                "GET_ID: last writable byte " + (split.last() & 0xff) + " is no status");
    }

    private static void flush(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        d.requireFeature("FLUSH");
        if (!ctx.offers("RO")) {
            long sector = d.sector(2);
            d.expect(d.write(sector, pattern(SECTOR, 2)), "OK", "write before the flush");
        }
        d.expect(d.s.exchange(0).out(Disk.header(d.type("FLUSH"), 0)).in(1).run(), "OK", "flush");
        ctx.note("durability itself is not observable over vhost-user");
    }

    private static void readOnly(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        d.requireFeature("RO");
        long sector = d.sector(3);
        Exchange.Result before = d.read(sector, SECTOR);
        d.expect(before, "OK", "read before the write");
        byte[] was = d.data(before, SECTOR);
        byte[] other = was.clone();
        for (int i = 0; i < other.length; i++) {
            other[i] ^= (byte) 0x5a;
        }
        d.expect(d.write(sector, other), "IOERR", "write to the read-only disk");
        Exchange.Result after = d.read(sector, SECTOR);
        d.expect(after, "OK", "read after the write");
        CheckFailure.require(Arrays.equals(was, d.data(after, SECTOR)), "the refused write changed sector " + sector);
    }

    private static void getId(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        Exchange.Result r = d.s.exchange(0).out(Disk.header(d.type("GET_ID"), 0)).in(ID_BYTES).in(1).run();
        if (r.last() == d.status("UNSUPP")) {
            ctx.note("GET_ID unsupported");
            return;
        }
        d.expect(r, "OK", "GET_ID");
        CheckFailure.require(Integer.toUnsignedLong(r.used()) <= ID_BYTES + 1, "used length " + r.used());
        byte[] id = d.data(r, ID_BYTES);
        int end = 0;
        while (end < ID_BYTES && id[end] != 0) {
            end++;
        }
        ctx.note("ID \"" + new String(id, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1) + "\"");
    }

    private static void discard(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        d.requireFeature("DISCARD");
        d.requireWritable();
        long sector = d.sector(4);
        d.expect(d.write(sector, pattern(SECTOR, 4)), "OK", "write before the discard");
        d.expect(d.ranges("DISCARD", sector, 1), "OK", "discard of 1 sector at " + sector);
    }

    private static void writeZeroes(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        d.requireFeature("WRITE_ZEROES");
        d.requireWritable();
        long sector = d.sector(5);
        d.expect(d.write(sector, pattern(2 * SECTOR, 5)), "OK", "write before write-zeroes");
        d.expect(d.ranges("WRITE_ZEROES", sector, 2), "OK", "write-zeroes of 2 sectors at " + sector);
        Exchange.Result r = d.read(sector, 2 * SECTOR);
        d.expect(r, "OK", "read after write-zeroes");
        CheckFailure.require(Arrays.equals(new byte[2 * SECTOR], d.data(r, 2 * SECTOR)),
                "the sectors read back after write-zeroes are not all zero");
    }

    private static void beyondCapacity(CheckContext ctx) throws Exception {
        Disk d = new Disk(ctx);
        d.sector(0); // capacity known and large enough
        long cap = d.capacity;
        d.expect(d.read(cap, SECTOR), "IOERR", "read of sector " + cap + " (= capacity)");
        d.expect(d.read(cap - 1, 2 * SECTOR), "IOERR", "read of 2 sectors from " + (cap - 1));
        if (!ctx.offers("RO")) {
            d.expect(d.write(cap, pattern(SECTOR, 6)), "IOERR", "write of sector " + cap);
        }
    }
}
