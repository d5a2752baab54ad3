package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.EnumModel;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * One session with a virtio-blk backend and the disk's facts (capacity, the catalog's request
 * types and status values, looked up by name), shared by the blk check families. Each check works
 * on its own slot of sectors near the middle of the disk.
 */
final class BlkDisk {
    static final int SECTOR = 512;
    static final int ID_BYTES = 20;

    final CheckContext ctx;
    final Session s;
    final long capacity;

    /** A session with every allowed feature the backend offers. */
    BlkDisk(CheckContext ctx) throws Exception {
        this(ctx, ctx.defaultFeatures());
    }

    BlkDisk(CheckContext ctx, long features) throws Exception {
        this.ctx = ctx;
        this.s = ctx.open(features);
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

    long literal(String enumName, String name) {
        return enumOf(enumName).literals().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(enumName + " has no " + name)).value().longValue();
    }

    EnumModel enumOf(String enumName) {
        return ctx.device().enums().stream().filter(x -> x.name().equals(enumName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's blk has no enum " + enumName));
    }

    /** The catalog's name of a status value, for messages ("3 (not a status)" when it has none). */
    String statusName(byte value) {
        return enumOf("virtio_blk_status").literals().stream().filter(l -> l.value().longValue() == (value & 0xff))
                .map(EnumModel.Literal::name).findFirst().orElse((value & 0xff) + " (not a status)");
    }

    /** A sector range well inside the disk for check {@code slot}, away from sector 0. */
    long sector(int slot) throws Inapplicable {
        if (capacity < 0) {
            throw Inapplicable.notCheckable("the capacity is unknown (no CONFIG protocol feature)");
        }
        if (capacity < 64) {
            throw Inapplicable.skip("the disk has only " + capacity + " sectors");
        }
        return capacity / 2 + slot * 8L;
    }

    /**
     * Where check {@code slot} may write {@code bytes} (a whole number of sectors), and how many
     * bytes to write there: {@link #sector(int)} and {@code bytes}, unless this session negotiated
     * ZONED, the disk has zones (host-managed or host-aware) and that sector lies in a
     * sequential-write-required zone, where a write anywhere but the write pointer rightly fails
     * (5.2.6.2). Then the zone is reset and the write goes to its start, rounded up to the disk's
     * write granularity, which keeps these checks meaningful on a disk with no conventional zone.
     * Sequential-write-preferred (host-aware) zones take writes anywhere and are used as they are.
     *
     * @return {sector, bytes}
     */
    long[] writable(int slot, int bytes) throws Exception {
        long sector = sector(slot);
        if ((s.negotiated() & ctx.bit("ZONED")) == 0) {
            return new long[] {sector, bytes};
        }
        ZonedDisk z = ZonedDisk.over(ctx, s);
        if (z.model == z.zonedModel("NONE")) {
            return new long[] {sector, bytes};
        }
        ZonedDisk.Zone zone = z.zone(sector);
        if (zone.type() != z.zoneType("SWR")) {
            return new long[] {sector, bytes};
        }
        z.expect(z.manage("RESET", zone.start()), "OK", "ZONE_RESET of the zone at " + zone.start()
                + " before writing to it");
        long granule = z.granule();
        ctx.note("zoned: wrote at the start of the sequential zone at " + zone.start());
        return new long[] {zone.start(), (bytes + granule - 1) / granule * granule};
    }

    static byte[] header(long type, long sector) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) type).putInt(0)
                .putLong(sector).array();
    }

    /** One range segment of discard, write zeroes and secure erase. */
    static byte[] segment(long sector, int sectors, int flags) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sector).putInt(sectors).putInt(flags)
                .array();
    }

    Exchange.Result write(long sector, byte[] data) throws FrontEndException {
        return s.exchange(0).out(header(type("OUT"), sector)).out(data).in(1).run();
    }

    Exchange.Result read(long sector, int bytes) throws FrontEndException {
        return s.exchange(0).out(header(type("IN"), sector)).in(bytes).in(1).run();
    }

    Exchange.Result ranges(String type, long sector, int sectors) throws FrontEndException {
        return ranges(type, sector, sectors, 0);
    }

    Exchange.Result ranges(String type, long sector, int sectors, int flags) throws FrontEndException {
        return s.exchange(0).out(header(type(type), sector)).out(segment(sector, sectors, flags)).in(1).run();
    }

    void expect(Exchange.Result r, String status, String what) throws CheckFailure {
        CheckFailure.require(r.last() == status(status), what + ": status " + statusName(r.last()) + ", expected "
                + status + " (" + status(status) + ")");
    }

    static byte[] data(Exchange.Result r, int bytes) {
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

    static byte[] pattern(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }
}
