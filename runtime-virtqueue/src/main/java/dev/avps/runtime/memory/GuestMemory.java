package dev.avps.runtime.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The guest-physical address space seen by a device: a fixed, sorted set of non-overlapping
 * {@link MemoryRegion}s.
 *
 * <p>{@link #translate} is the non-throwing primitive the queues use to validate guest-supplied
 * ranges. The byte/short/int/long and bulk accessors are conveniences for device and test code;
 * they throw {@link GuestMemoryException} for unbacked ranges. Multi-byte values are
 * little-endian as VIRTIO 1.x requires. Bulk copies may cross from one region into an adjacent
 * one (guest-physically contiguous); a gap anywhere in the range is an error.
 *
 * <p>Instances are immutable and safe to share between threads; concurrent access to the same
 * guest bytes is ordered only by whatever protocol (the virtqueue) the caller follows.
 */
public final class GuestMemory {
    /** {@link #translate} result: no region contains the first byte. */
    public static final long UNMAPPED = -1;
    /** {@link #translate} result: the range starts in a region but does not end inside it. */
    public static final long CROSSES_REGION = -2;
    /** {@link #translate} result: address + length wraps past 2^64. */
    public static final long WRAPS = -3;

    /** Most regions a guest may have: the region index must fit 15 bits of a {@link #translate} result. */
    public static final int MAX_REGIONS = 1 << 15;
    /** Bits of a {@link #translate} result that hold the offset in the region (see {@link MemoryRegion#MAX_SIZE}). */
    private static final int OFFSET_BITS = 48;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    // Device data has whatever alignment the driver chose, so these accessors never assume any.
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemoryRegion[] regions;
    /** The regions' segments, indexed like {@link #regions}: one load fewer on the chain paths. */
    private final MemorySegment[] segments;
    private final long[] bases;
    /** The lowest region, copied into fields: {@link #translate} checks it without array loads. */
    private final long base0;
    private final long size0;

    public GuestMemory(MemoryRegion... regions) {
        if (regions.length == 0 || regions.length > MAX_REGIONS) {
            throw new IllegalArgumentException(regions.length + " regions; a guest has 1.." + MAX_REGIONS);
        }
        MemoryRegion[] sorted = regions.clone();
        Arrays.sort(sorted, (a, b) -> Long.compareUnsigned(a.guestBase(), b.guestBase()));
        for (int i = 1; i < sorted.length; i++) {
            MemoryRegion prev = sorted[i - 1];
            if (Long.compareUnsigned(sorted[i].guestBase() - prev.guestBase(), prev.size()) < 0) {
                throw new IllegalArgumentException(prev + " overlaps " + sorted[i]);
            }
        }
        this.regions = sorted;
        this.base0 = sorted[0].guestBase();
        this.size0 = sorted[0].size();
        this.bases = new long[sorted.length];
        this.segments = new MemorySegment[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            bases[i] = sorted[i].guestBase();
            segments[i] = sorted[i].segment();
        }
    }

    /** Convenience: a single heap-backed region starting at guest-physical 0. */
    public static GuestMemory heap(int size) {
        return new GuestMemory(MemoryRegion.heap(0, size));
    }

    public int regionCount() {
        return regions.length;
    }

    /** Regions in ascending guest-physical order. */
    public MemoryRegion region(int index) {
        return regions[index];
    }

    /** The host memory of region {@code index}, the same as {@code region(index).segment()}. */
    public MemorySegment segment(int index) {
        return segments[index];
    }

    /**
     * Resolves {@code [gpa, gpa+length)} to one region without throwing. Returns
     * {@code (regionIndex << 48) | offsetInRegion} (never negative) when the whole range lies in one
     * region, otherwise {@link #UNMAPPED}, {@link #CROSSES_REGION} or {@link #WRAPS}. {@code length}
     * is unsigned 32-bit, as in a descriptor; a zero length still requires {@code gpa} to be mapped.
     */
    public long translate(long gpa, long length) {
        // Fast path for ranges in the lowest region (all of a single-region guest): inside it,
        // gpa + length cannot wrap, because a region never ends past 2^64.
        long offset0 = gpa - base0;
        if (Long.compareUnsigned(offset0, size0) < 0 && length >= 0 && length <= size0 - offset0) {
            return offset0;
        }
        return translateElsewhere(gpa, length);
    }

    /**
     * {@link #translate} past its fast path, out of line: the ring ends inline translate() into
     * their chain walks, and this part would make those too big for C2 to inline in turn.
     */
    private long translateElsewhere(long gpa, long length) {
        // gpa + length may reach 2^64 exactly (a range ending at the top byte) but not beyond.
        if (length != 0 && Long.compareUnsigned(gpa, -length) > 0) {
            return WRAPS;
        }
        int index = find(gpa);
        if (index < 0) {
            return UNMAPPED;
        }
        MemoryRegion r = regions[index];
        long offset = gpa - r.guestBase();
        if (length > r.size() - offset) {
            return CROSSES_REGION;
        }
        return ((long) index << OFFSET_BITS) | offset;
    }

    /** Whether every byte of the range is backed, possibly by several adjacent regions. */
    public boolean isMapped(long gpa, long length) {
        if (length < 0 || length != 0 && Long.compareUnsigned(gpa, -length) > 0) {
            return false;
        }
        long remaining = length;
        long at = gpa;
        do {
            int index = find(at);
            if (index < 0) {
                return false;
            }
            MemoryRegion r = regions[index];
            long chunk = Math.min(remaining, r.size() - (at - r.guestBase()));
            remaining -= chunk;
            at += chunk;
        } while (remaining > 0);
        return true;
    }

    private int find(long gpa) {
        long[] b = bases;
        if (b.length == 1) {
            // The common single-region guest skips the search.
            return Long.compareUnsigned(gpa - b[0], regions[0].size()) < 0 ? 0 : -1;
        }
        int lo = 0;
        int hi = b.length - 1;
        // Unsigned binary search for the last region whose base is <= gpa.
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(b[mid], gpa) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi < 0) {
            return -1;
        }
        return Long.compareUnsigned(gpa - b[hi], regions[hi].size()) < 0 ? hi : -1;
    }

    /** Region index of a {@link #translate} result. */
    public static int regionIndex(long translated) {
        return (int) (translated >>> OFFSET_BITS);
    }

    /** Offset within the region of a {@link #translate} result. */
    public static long regionOffset(long translated) {
        return translated & OFFSET_MASK;
    }

    /** Human-readable explanation of a negative {@link #translate} result, for error messages. */
    public static String describe(long translateResult) {
        if (translateResult == UNMAPPED) {
            return "is not inside any guest memory region";
        } else if (translateResult == CROSSES_REGION) {
            return "runs past the end of its guest memory region";
        } else if (translateResult == WRAPS) {
            return "wraps around the 64-bit address space";
        }
        return "is valid";
    }

    private long resolve(long gpa, int length) {
        long t = translate(gpa, length);
        if (t < 0) {
            throw new GuestMemoryException("guest range 0x" + Long.toHexString(gpa) + "+" + length + " "
                    + describe(t), gpa, length);
        }
        return t;
    }

    public byte readByte(long gpa) {
        long t = resolve(gpa, 1);
        return segments[regionIndex(t)].get(ValueLayout.JAVA_BYTE, regionOffset(t));
    }

    public short readShort(long gpa) {
        long t = resolve(gpa, 2);
        return segments[regionIndex(t)].get(U16, regionOffset(t));
    }

    public int readInt(long gpa) {
        long t = resolve(gpa, 4);
        return segments[regionIndex(t)].get(U32, regionOffset(t));
    }

    public long readLong(long gpa) {
        long t = resolve(gpa, 8);
        return segments[regionIndex(t)].get(U64, regionOffset(t));
    }

    public void writeByte(long gpa, byte value) {
        long t = resolve(gpa, 1);
        segments[regionIndex(t)].set(ValueLayout.JAVA_BYTE, regionOffset(t), value);
    }

    public void writeShort(long gpa, short value) {
        long t = resolve(gpa, 2);
        segments[regionIndex(t)].set(U16, regionOffset(t), value);
    }

    public void writeInt(long gpa, int value) {
        long t = resolve(gpa, 4);
        segments[regionIndex(t)].set(U32, regionOffset(t), value);
    }

    public void writeLong(long gpa, long value) {
        long t = resolve(gpa, 8);
        segments[regionIndex(t)].set(U64, regionOffset(t), value);
    }

    /** Copies guest bytes into {@code dst}; the range may span adjacent regions. */
    public void read(long gpa, byte[] dst, int dstOffset, int length) {
        checkSpan(gpa, length);
        long at = gpa;
        int done = 0;
        while (done < length) {
            int index = find(at);
            MemoryRegion r = regions[index];
            long offset = at - r.guestBase();
            int chunk = (int) Math.min(length - done, r.size() - offset);
            MemorySegment.copy(segments[index], ValueLayout.JAVA_BYTE, offset, dst, dstOffset + done, chunk);
            done += chunk;
            at += chunk;
        }
    }

    /** Copies {@code src} into guest memory; the range may span adjacent regions. */
    public void write(long gpa, byte[] src, int srcOffset, int length) {
        checkSpan(gpa, length);
        long at = gpa;
        int done = 0;
        while (done < length) {
            int index = find(at);
            MemoryRegion r = regions[index];
            long offset = at - r.guestBase();
            int chunk = (int) Math.min(length - done, r.size() - offset);
            MemorySegment.copy(src, srcOffset + done, segments[index], ValueLayout.JAVA_BYTE, offset, chunk);
            done += chunk;
            at += chunk;
        }
    }

    /** Sets every byte of a guest range; it may span adjacent regions. */
    public void fill(long gpa, long length, byte value) {
        if (!isMapped(gpa, length)) {
            throw new GuestMemoryException("guest range 0x" + Long.toHexString(gpa) + "+" + length
                    + " is not fully backed by guest memory", gpa, length);
        }
        long at = gpa;
        long remaining = length;
        while (remaining > 0) {
            int index = find(at);
            long offset = at - regions[index].guestBase();
            long n = Math.min(remaining, regions[index].size() - offset);
            segments[index].asSlice(offset, n).fill(value);
            at += n;
            remaining -= n;
        }
    }

    private void checkSpan(long gpa, int length) {
        if (!isMapped(gpa, length)) {
            throw new GuestMemoryException("guest range 0x" + Long.toHexString(gpa) + "+" + length
                    + " is not fully backed by guest memory (gap or outside every region)", gpa, length);
        }
    }

    @Override
    public String toString() {
        return "GuestMemory" + Arrays.toString(regions);
    }
}
