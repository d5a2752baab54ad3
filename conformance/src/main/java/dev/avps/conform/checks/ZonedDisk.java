package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A zoned blk as the zoned checks see it: one session with ZONED accepted, the {@code zoned}
 * config block (offsets from the catalog's layout), and the zone requests of VIRTIO 1.4 5.2.6.
 * Request types, statuses, zone types and states are the catalog's literals, looked up by name.
 */
final class ZonedDisk {
    static final int SECTOR = 512;
    static final int DESCRIPTOR = 64;
    static final int REPORT_HEADER = 64;
    /** The most data one check sends in a single request (the session's buffer area is 12 MiB). */
    static final int MAX_REQUEST = 4 << 20;

    /** One zone descriptor. */
    record Zone(long cap, long start, long wp, int type, int state) {
    }

    /** A zone report: nr_zones, the descriptors, the status. */
    record Report(long nrZones, List<Zone> zones, byte status) {
    }

    final CheckContext ctx;
    final Session s;
    final long capacity;
    final long zoneSectors;
    final long maxOpen;
    final long maxActive;
    final long maxAppend;
    final long granularity;
    final int model;
    final byte[] config;

    private ZonedDisk(CheckContext ctx, Session s) throws Exception {
        this.ctx = ctx;
        this.s = s;
        if (!s.hasConfig()) {
            throw Inapplicable.notCheckable("no CONFIG protocol feature: the zoned characteristics cannot be read");
        }
        config = s.config(ctx.device().config().size());
        capacity = u64(config, 0);
        zoneSectors = zonedField("zone_sectors");
        maxOpen = zonedField("max_open_zones");
        maxActive = zonedField("max_active_zones");
        maxAppend = zonedField("max_append_sectors");
        granularity = zonedField("write_granularity");
        model = (int) zonedField("model");
    }

    /** A session with ZONED accepted; skips when ZONED is not offered. */
    static ZonedDisk open(CheckContext ctx) throws Exception {
        requireZoned(ctx);
        return new ZonedDisk(ctx, ctx.open());
    }

    /** The zoned view of a session that already has ZONED negotiated (a plain blk check's session). */
    static ZonedDisk over(CheckContext ctx, Session s) throws Exception {
        return new ZonedDisk(ctx, s);
    }

    static void requireZoned(CheckContext ctx) throws Inapplicable {
        if (!ctx.offers("ZONED")) {
            throw Inapplicable.skip("ZONED is not offered");
        }
    }

    /** Where {@code name} sits in the config space: the zoned block's offset plus the field's. */
    static int zonedOffset(CheckContext ctx, String name) {
        FieldLayout zoned = ctx.device().config().field("zoned")
                .orElseThrow(() -> new IllegalStateException("the catalog's blk config has no zoned block"));
        StructLayout inner = zoned.nested();
        return zoned.offset() + inner.field(name)
                .orElseThrow(() -> new IllegalStateException("zoned has no field " + name)).offset();
    }

    static int zonedBytes(CheckContext ctx) {
        return ctx.device().config().field("zoned").orElseThrow().size();
    }

    private long zonedField(String name) {
        int at = zonedOffset(ctx, name);
        return name.equals("model") ? config[at] & 0xff : ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).getInt(at) & 0xffffffffL;
    }

    /** Config field {@code name} outside the zoned block (e.g. seg_max), from the catalog's layout. */
    long configField(String name) {
        FieldLayout f = ctx.device().config().field(name).orElseThrow();
        return f.size() == 8 ? u64(config, f.offset())
                : ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).getInt(f.offset()) & 0xffffffffL;
    }

    static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    static long literal(CheckContext ctx, String enumName, String name) {
        EnumModel e = ctx.device().enums().stream().filter(x -> x.name().equals(enumName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's blk has no enum " + enumName));
        return e.literals().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(enumName + " has no " + name)).value().longValue();
    }

    long type(String name) {
        return literal(ctx, "virtio_blk_type", "VIRTIO_BLK_T_" + name);
    }

    byte status(String name) {
        return (byte) literal(ctx, "virtio_blk_status", "VIRTIO_BLK_S_" + name);
    }

    int zoneType(String name) {
        return (int) literal(ctx, "virtio_blk_zone_type", "VIRTIO_BLK_ZT_" + name);
    }

    int zoneState(String name) {
        return (int) literal(ctx, "virtio_blk_zone_state", "VIRTIO_BLK_ZS_" + name);
    }

    int zonedModel(String name) {
        return (int) literal(ctx, "virtio_blk_zoned_model", "VIRTIO_BLK_Z_" + name);
    }

    /** The catalog's name of a status value, for messages. */
    String statusName(byte v) {
        return name("virtio_blk_status", v & 0xff);
    }

    String stateName(int v) {
        return name("virtio_blk_zone_state", v);
    }

    private String name(String enumName, long v) {
        return ctx.device().enums().stream().filter(x -> x.name().equals(enumName)).findFirst()
                .flatMap(e -> e.literals().stream().filter(l -> l.value().longValue() == v).findFirst())
                .map(EnumModel.Literal::name).orElse(Long.toString(v));
    }

    /** The model must be host-managed (or host-aware) for zone requests to mean anything. */
    void requireZones() throws Inapplicable {
        if (model != zonedModel("HM") && model != zonedModel("HA")) {
            throw Inapplicable.skip("the disk reports zoned model " + model + ": no zones to manage");
        }
        if (zoneSectors == 0) {
            throw Inapplicable.skip("zone_sectors is 0");
        }
    }

    void requireAppends() throws Inapplicable {
        if (maxAppend == 0) {
            throw Inapplicable.skip("max_append_sectors is 0: the disk takes no zone appends");
        }
    }

    /** Bytes of the smallest write a sequential zone takes (write_granularity, at least a sector). */
    int granule() {
        long g = Math.max(SECTOR, granularity);
        return (int) ((g + SECTOR - 1) / SECTOR * SECTOR);
    }

    long granuleSectors() {
        return granule() / SECTOR;
    }

    static byte[] header(long type, long sector) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) type).putInt(0).putLong(sector).array();
    }

    static byte[] pattern(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    byte write(long sector, byte[] data) throws FrontEndException {
        return s.exchange(0).out(header(type("OUT"), sector)).out(data).in(1).run().last();
    }

    Exchange.Result read(long sector, int bytes) throws FrontEndException {
        return s.exchange(0).out(header(type("IN"), sector)).in(bytes).in(1).run();
    }

    /** A management request (OPEN, CLOSE, FINISH, RESET, RESET_ALL); returns the status. */
    byte manage(String type, long sector) throws FrontEndException {
        return s.exchange(0).out(header(type("ZONE_" + type), sector)).in(1).run().last();
    }

    /** RESET_ALL, required to succeed: the checks start from empty zones. */
    void resetAll() throws Exception {
        expect(manage("RESET_ALL", 0), "OK", "ZONE_RESET_ALL");
    }

    /** An append; returns {status, append_sector}. */
    long[] append(long zoneStart, byte[] data) throws FrontEndException {
        Exchange.Result r = s.exchange(0).out(header(type("ZONE_APPEND"), zoneStart)).out(data).in(8).in(1).run();
        return new long[] {r.last(), u64(r.written(), 0)};
    }

    Report report(long sector, int descriptors, int extraBytes) throws FrontEndException {
        int room = REPORT_HEADER + descriptors * DESCRIPTOR + extraBytes;
        Exchange.Result r = s.exchange(0).out(header(type("ZONE_REPORT"), sector)).in(room).in(1).run();
        byte[] w = r.written();
        long n = u64(w, 0);
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < Math.min(n, (room - REPORT_HEADER) / DESCRIPTOR); i++) {
            int at = REPORT_HEADER + i * DESCRIPTOR;
            zones.add(new Zone(u64(w, at), u64(w, at + 8), u64(w, at + 16), w[at + 24] & 0xff, w[at + 25] & 0xff));
        }
        return new Report(n, zones, r.last());
    }

    /** The zone starting at or holding {@code sector}, from a one-descriptor report that must succeed. */
    Zone zone(long sector) throws Exception {
        Report r = report(sector, 1, 0);
        expect(r.status(), "OK", "ZONE_REPORT at sector " + sector);
        CheckFailure.require(r.nrZones() == 1 && r.zones().size() == 1, "ZONE_REPORT at sector " + sector
                + " with room for one descriptor: nr_zones " + r.nrZones());
        return r.zones().get(0);
    }

    /** Every zone, in reports of up to 128 descriptors. */
    List<Zone> allZones() throws Exception {
        List<Zone> out = new ArrayList<>();
        long expected = (capacity + zoneSectors - 1) / zoneSectors;
        if (expected > 100_000) {
            throw Inapplicable.notCheckable(expected + " zones are too many to list here");
        }
        long sector = 0;
        while (sector < capacity && out.size() <= expected) {
            Report r = report(sector, 128, 0);
            expect(r.status(), "OK", "ZONE_REPORT from sector " + sector);
            CheckFailure.require(!r.zones().isEmpty(), "ZONE_REPORT from sector " + sector + " lists no zone");
            out.addAll(r.zones());
            Zone last = r.zones().get(r.zones().size() - 1);
            sector = last.start() + zoneSectors;
            CheckFailure.require(last.start() < sector, "zone starts do not advance");
        }
        return out;
    }

    /** The {@code k}-th (0-based) zone of {@code type} that has a full zone_sectors size, or a skip. */
    Zone nth(String type, int k) throws Exception {
        int want = zoneType(type);
        int seen = 0;
        for (Zone z : allZones()) {
            if (z.type() == want && z.start() + zoneSectors <= capacity) {
                if (seen++ == k) {
                    return z;
                }
            }
        }
        throw Inapplicable.skip("the disk has " + seen + " full-size " + type + " zone(s), this check needs " + (k + 1));
    }

    /** Every full-size zone of {@code type}. */
    List<Zone> all(String type) throws Exception {
        int want = zoneType(type);
        List<Zone> out = new ArrayList<>();
        for (Zone z : allZones()) {
            if (z.type() == want && z.start() + zoneSectors <= capacity) {
                out.add(z);
            }
        }
        return out;
    }

    void expect(byte got, String status, String what) throws CheckFailure {
        CheckFailure.require(got == status(status), what + ": status " + statusName(got) + ", expected VIRTIO_BLK_S_"
                + status);
    }

    void expectState(long zoneStart, String what, String... states) throws Exception {
        Zone z = zone(zoneStart);
        for (String st : states) {
            if (z.state() == zoneState(st)) {
                return;
            }
        }
        throw new CheckFailure(what + ": zone " + zoneStart + " is " + stateName(z.state()) + ", expected "
                + String.join(" or ", Arrays.stream(states).map(x -> "VIRTIO_BLK_ZS_" + x).toList()));
    }

    void expectWp(long zoneStart, long wp, String what) throws Exception {
        Zone z = zone(zoneStart);
        CheckFailure.require(z.wp() == wp, what + ": zone " + zoneStart + " has its write pointer at " + z.wp()
                + ", expected " + wp);
    }

    /**
     * Writes zone {@code z} from its write pointer up to {@code end} (a sector) in requests of at
     * most 1 MiB (or size_max); fails on any status but OK.
     */
    void fill(Zone z, long from, long end) throws Exception {
        long chunk = Math.min(1 << 20, ctx.offers("SIZE_MAX") && configField("size_max") > 0
                ? configField("size_max") : 1 << 20) / granule() * granule() / SECTOR;
        chunk = Math.max(chunk, granuleSectors());
        for (long at = from; at < end; ) {
            int n = (int) Math.min(chunk, end - at);
            expect(write(at, pattern(n * SECTOR, at)), "OK", "filling zone " + z.start() + ": write of " + n
                    + " sectors at " + at);
            at += n;
        }
    }
}
