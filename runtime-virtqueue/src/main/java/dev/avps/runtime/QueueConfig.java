package dev.avps.runtime;

/**
 * Where a queue lives in guest memory: what the driver programs into the transport
 * (queue size, descriptor area, driver area, device area), plus an optional driver-private pool
 * for indirect tables.
 *
 * <p>For a split ring the driver area is the avail ring and the device area the used ring; for a
 * packed ring they are the driver and device event-suppression structures.
 */
public final class QueueConfig {
    /** Separates areas written by different sides so they never share a cache line (and meets every area's alignment). */
    private static final int LINE = 64;

    private final int size;
    private final long descriptorArea;
    private final long driverArea;
    private final long deviceArea;
    private final long indirectPool;
    private final int indirectEntries;
    private final long end;

    private QueueConfig(int size, long desc, long driver, long device, long pool, int entries, long end) {
        this.size = size;
        this.descriptorArea = desc;
        this.driverArea = driver;
        this.deviceArea = device;
        this.indirectPool = pool;
        this.indirectEntries = entries;
        this.end = end;
    }

    /** Addresses chosen by someone else (e.g. read from transport registers on the device side). */
    public static QueueConfig of(int size, long descriptorArea, long driverArea, long deviceArea) {
        return new QueueConfig(size, descriptorArea, driverArea, deviceArea, 0, 0, 0);
    }

    /**
     * Lays a queue out contiguously from {@code base}, in the format selected by {@code features}.
     * With {@code indirectEntries > 0} a pool of one indirect table of that many entries per chain
     * follows, which a {@link DriverQueue} uses when INDIRECT_DESC is negotiated.
     */
    public static QueueConfig layout(long features, int size, long base, int indirectEntries) {
        boolean packed = VirtioFeatures.has(features, VirtioFeatures.RING_PACKED);
        long desc = align(base, LINE);
        long driver = align(desc + RingLayout.descriptorAreaSize(size), LINE);
        long device = align(driver + RingLayout.driverAreaSize(packed, size), LINE);
        long pool = align(device + RingLayout.deviceAreaSize(packed, size), LINE);
        long end = pool + RingLayout.descriptorAreaSize(size) * Math.max(0, indirectEntries);
        return new QueueConfig(size, desc, driver, device, indirectEntries > 0 ? pool : 0,
                Math.max(0, indirectEntries), end);
    }

    static long align(long v, int a) {
        return (v + a - 1) & -a;
    }

    public int size() {
        return size;
    }

    public long descriptorArea() {
        return descriptorArea;
    }

    public long driverArea() {
        return driverArea;
    }

    public long deviceArea() {
        return deviceArea;
    }

    /** Guest address of the driver's indirect-table pool; meaningful if {@link #indirectEntries()} &gt; 0. */
    public long indirectPool() {
        return indirectPool;
    }

    /** Entries per indirect table in the pool; 0 means the driver never uses indirect descriptors. */
    public int indirectEntries() {
        return indirectEntries;
    }

    /** First guest address after a {@link #layout}-ed queue (0 for {@link #of}). */
    public long end() {
        return end;
    }

    @Override
    public String toString() {
        return "QueueConfig[size=" + size + ", desc=0x" + Long.toHexString(descriptorArea) + ", driver=0x"
                + Long.toHexString(driverArea) + ", device=0x" + Long.toHexString(deviceArea) + "]";
    }
}
