package dev.avps.devices.blk;

import dev.avps.generated.blk.VirtioBlkStatus;
import dev.avps.generated.blk.VirtioBlkZoneState;
import dev.avps.generated.blk.VirtioBlkZoneType;

/**
 * The zones of a host-managed disk and the rules that govern them (VIRTIO 1.4 5.2.6: zone types,
 * the state machine, open and active resources, write pointer rules). It moves no data: the device
 * asks it whether a request may go ahead, moves the bytes, then tells it what was written. The
 * first {@code conventionalZones} zones are conventional, the rest sequential-write-required;
 * the last zone is shorter when the capacity is not a multiple of the zone size.
 *
 * <p>Statuses are the catalog's wire values. Zone state lives with the medium, so it survives a
 * device reset and a new driver. Only the queue's worker thread calls in (tests call directly).
 */
final class ZoneTable {
    static final byte OK = (byte) VirtioBlkStatus.VIRTIO_BLK_S_OK;
    static final byte IOERR = (byte) VirtioBlkStatus.VIRTIO_BLK_S_IOERR;
    static final byte UNSUPP = (byte) VirtioBlkStatus.VIRTIO_BLK_S_UNSUPP;
    static final byte INVALID = (byte) VirtioBlkStatus.VIRTIO_BLK_S_ZONE_INVALID_CMD;
    static final byte UNALIGNED = (byte) VirtioBlkStatus.VIRTIO_BLK_S_ZONE_UNALIGNED_WP;
    static final byte OPEN_RESOURCE = (byte) VirtioBlkStatus.VIRTIO_BLK_S_ZONE_OPEN_RESOURCE;
    static final byte ACTIVE_RESOURCE = (byte) VirtioBlkStatus.VIRTIO_BLK_S_ZONE_ACTIVE_RESOURCE;

    static final int CONV = VirtioBlkZoneType.VIRTIO_BLK_ZT_CONV;
    static final int SWR = VirtioBlkZoneType.VIRTIO_BLK_ZT_SWR;
    static final int NOT_WP = VirtioBlkZoneState.VIRTIO_BLK_ZS_NOT_WP;
    static final int EMPTY = VirtioBlkZoneState.VIRTIO_BLK_ZS_EMPTY;
    static final int IOPEN = VirtioBlkZoneState.VIRTIO_BLK_ZS_IOPEN;
    static final int EOPEN = VirtioBlkZoneState.VIRTIO_BLK_ZS_EOPEN;
    static final int CLOSED = VirtioBlkZoneState.VIRTIO_BLK_ZS_CLOSED;
    static final int FULL = VirtioBlkZoneState.VIRTIO_BLK_ZS_FULL;

    /** One zone. {@code written} is where readable data ends: the write pointer, kept through a finish. */
    static final class Zone {
        final int index;
        final long start;
        final long size;
        final long cap;
        final int type;
        int state;
        long wp;
        long written;

        Zone(int index, long start, long size, long cap, int type) {
            this.index = index;
            this.start = start;
            this.size = size;
            this.cap = cap;
            this.type = type;
            this.state = type == CONV ? NOT_WP : EMPTY;
            this.wp = start;
            this.written = type == CONV ? start + size : start;
        }

        boolean sequential() {
            return type != CONV;
        }

        boolean open() {
            return state == IOPEN || state == EOPEN;
        }

        boolean active() {
            return open() || state == CLOSED;
        }

        /** The write pointer a report shows: undefined for full zones, given as the zone's end. */
        long reportedWp() {
            return state == FULL ? start + size : wp;
        }
    }

    private final ZonedOptions options;
    private final long capacity;
    private final Zone[] zones;
    /** Granularity in sectors (the options hold it in bytes). */
    private final long granule;
    /** Implicitly opened zones in the order they opened, for closing the oldest when out of open slots. */
    private long openStamp;
    private final long[] openedAt;

    ZoneTable(long capacity, ZonedOptions options) {
        this.options = options;
        this.capacity = capacity;
        int n = (int) ((capacity + options.zoneSectors() - 1) / options.zoneSectors());
        if (options.conventionalZones() > n) {
            throw new IllegalArgumentException(n + " zone(s) cannot hold " + options.conventionalZones()
                    + " conventional ones");
        }
        this.zones = new Zone[n];
        this.openedAt = new long[n];
        for (int i = 0; i < n; i++) {
            long start = i * options.zoneSectors();
            long size = Math.min(options.zoneSectors(), capacity - start);
            int type = i < options.conventionalZones() ? CONV : SWR;
            zones[i] = new Zone(i, start, size, Math.min(size, options.zoneCapacity()), type);
        }
        this.granule = options.writeGranularity() / 512;
    }

    int count() {
        return zones.length;
    }

    Zone zone(int index) {
        return zones[index];
    }

    /** The zone holding {@code sector}, which must be below the capacity. */
    Zone zoneOf(long sector) {
        return zones[(int) (sector / options.zoneSectors())];
    }

    long zoneSectors() {
        return options.zoneSectors();
    }

    long capacity() {
        return capacity;
    }

    int openCount() {
        int n = 0;
        for (Zone z : zones) {
            n += z.open() ? 1 : 0;
        }
        return n;
    }

    int activeCount() {
        int n = 0;
        for (Zone z : zones) {
            n += z.active() ? 1 : 0;
        }
        return n;
    }

    /** The zone whose first sector is {@code sector}, or null. */
    private Zone zoneStartingAt(long sector) {
        if (sector < 0 || sector >= capacity) {
            return null;
        }
        Zone z = zoneOf(sector);
        return z.start == sector ? z : null;
    }

    /**
     * Makes room for {@code z} to become open: a free open slot, else the oldest implicitly open
     * zone closed on the device's own (5.2.6: allowed to avoid resource errors). Returns the
     * resource status when there is no room; the zones are then as they were. Active resources
     * are judged first: a request that exceeds both limits gets the active one.
     */
    private byte makeRoom(Zone z) {
        if (!z.active() && options.maxActiveZones() != 0 && activeCount() >= options.maxActiveZones()) {
            return ACTIVE_RESOURCE;
        }
        if (options.maxOpenZones() != 0 && openCount() >= options.maxOpenZones()) {
            Zone oldest = null;
            for (Zone o : zones) {
                if (o != z && o.state == IOPEN && (oldest == null || openedAt[o.index] < openedAt[oldest.index])) {
                    oldest = o;
                }
            }
            if (oldest == null) {
                return OPEN_RESOURCE;
            }
            oldest.state = CLOSED;
        }
        return OK;
    }

    /** ZONE_OPEN: to explicitly open, from empty, implicitly open or closed. */
    byte open(long sector) {
        Zone z = zoneStartingAt(sector);
        if (z == null || !z.sequential() || z.state == FULL) {
            return INVALID;
        }
        if (z.state == EOPEN) {
            return OK;
        }
        if (z.state != IOPEN) {
            byte room = makeRoom(z);
            if (room != OK) {
                return room;
            }
        }
        z.state = EOPEN;
        return OK;
    }

    /** ZONE_CLOSE: an open zone becomes closed, or empty when nothing was written; closed stays closed. */
    byte close(long sector) {
        Zone z = zoneStartingAt(sector);
        if (z == null || !z.sequential()) {
            return INVALID;
        }
        switch (z.state) {
            case IOPEN, EOPEN -> z.state = z.wp == z.start ? EMPTY : CLOSED;
            case CLOSED -> { }
            default -> {
                return INVALID; // empty and full zones have no closed state to go to
            }
        }
        return OK;
    }

    /**
     * ZONE_FINISH: the zone becomes full; what lies past its write pointer stays unwritten. 5.2.6
     * lists the open states and full as where a finish comes from; empty and closed zones are
     * finished too, as the ZBC and ZNS commands the section follows do.
     */
    byte finish(long sector) {
        Zone z = zoneStartingAt(sector);
        if (z == null || !z.sequential()) {
            return INVALID;
        }
        z.state = FULL;
        return OK;
    }

    /** ZONE_RESET: back to empty with the write pointer at the start; the old data is unwritten. */
    byte reset(long sector) {
        Zone z = zoneStartingAt(sector);
        if (z == null || !z.sequential()) {
            return INVALID;
        }
        empty(z);
        return OK;
    }

    /** ZONE_RESET_ALL: every sequential zone back to empty. */
    byte resetAll() {
        for (Zone z : zones) {
            if (z.sequential()) {
                empty(z);
            }
        }
        return OK;
    }

    private static void empty(Zone z) {
        z.state = EMPTY;
        z.wp = z.start;
        z.written = z.start;
    }

    /**
     * Whether a read of {@code sectors} from {@code sector} (within the capacity) may go ahead:
     * one reaching into a second zone is refused when a sequential zone is among them.
     */
    byte checkRead(long sector, long sectors) {
        if (sectors == 0) {
            return OK;
        }
        Zone first = zoneOf(sector);
        Zone last = zoneOf(sector + sectors - 1);
        for (int i = first.index; i <= last.index && first != last; i++) {
            if (zones[i].sequential()) {
                return INVALID;
            }
        }
        return OK;
    }

    /**
     * Where unwritten sectors of a read start, relative to {@code sector}: from there to the end of
     * the range the device returns its fill pattern, not the image's stale bytes. -1 when every
     * sector of the range holds data. (A read that spans zones touches conventional zones only.)
     */
    long unwrittenFrom(long sector, long sectors) {
        if (sectors == 0) {
            return -1;
        }
        Zone z = zoneOf(sector);
        if (!z.sequential() || z.written >= sector + sectors) {
            return -1;
        }
        return Math.max(0, z.written - sector);
    }

    /**
     * A write (OUT) of {@code sectors} at {@code sector} (within the capacity), before any byte
     * moves: the zone rules of 5.2.6, and the implicit open an empty or closed zone needs. On OK
     * the caller writes the data, then calls {@link #wrote}.
     */
    byte beginWrite(long sector, long sectors) {
        Zone z = zoneOf(sector);
        if (!z.sequential()) {
            // A conventional zone takes any write, unless it runs on into a sequential zone.
            return sectors == 0 || !zoneOf(sector + sectors - 1).sequential() ? OK : INVALID;
        }
        return beginSequential(z, sector, sectors);
    }

    private byte beginSequential(Zone z, long sector, long sectors) {
        if (z.state == FULL || sector + sectors > z.start + z.cap) {
            return INVALID; // nothing left to write, past the writable capacity, or into the next zone
        }
        if (sector != z.wp || sector % granule != 0 || sectors % granule != 0) {
            return UNALIGNED;
        }
        if (sectors == 0) {
            return OK;
        }
        if (z.state == EMPTY || z.state == CLOSED) {
            byte room = makeRoom(z);
            if (room != OK) {
                return room;
            }
            z.state = IOPEN;
            openedAt[z.index] = ++openStamp;
        }
        return OK;
    }

    /** After the data of an accepted write or append reached the image: the write pointer moves on. */
    void wrote(long sector, long sectors) {
        Zone z = zoneOf(sector);
        if (!z.sequential() || sectors == 0) {
            return;
        }
        z.wp = sector + sectors;
        z.written = z.wp;
        if (z.wp == z.start + z.cap) {
            z.state = FULL;
        }
    }

    /**
     * A zone append of {@code sectors} to the zone starting at {@code sector}: returns the sector
     * the data goes to (the write pointer), or the status, negated minus one, when refused. On
     * success the caller writes there, then calls {@link #wrote}.
     */
    long beginAppend(long sector, long sectors) {
        if (options.maxAppendSectors() == 0) {
            return refused(UNSUPP);
        }
        Zone z = zoneStartingAt(sector);
        if (z == null || !z.sequential() || sectors > options.maxAppendSectors()) {
            return refused(INVALID);
        }
        long at = z.wp;
        byte s = beginSequential(z, at, sectors);
        return s == OK ? at : refused(s);
    }

    static long refused(byte status) {
        return -1 - status;
    }

    /** The status in a refused {@link #beginAppend} result. */
    static byte statusOf(long appendResult) {
        return (byte) (-1 - appendResult);
    }
}
