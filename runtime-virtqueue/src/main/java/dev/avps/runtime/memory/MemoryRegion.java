package dev.avps.runtime.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * One contiguous piece of guest-physical memory and the host memory behind it, a
 * {@link MemorySegment}.
 *
 * <p>Sizes and offsets are {@code long}: a region may be larger than 2 GiB (a q35 guest with 8 GiB
 * of RAM has one region of about 6 GiB above 4 GiB), up to {@link #MAX_SIZE}. The backing can live
 * on the Java heap, off-heap, or in a shared file mapping (a memfd or hugetlbfs file handed over by
 * a VMM). The segment's arena decides when the memory goes away; a region never frees it.
 */
public final class MemoryRegion {
    /**
     * Largest region: {@link GuestMemory#translate} packs a region offset into 48 bits, which is
     * also more than any x86-64 or AArch64 host can map.
     */
    public static final long MAX_SIZE = 1L << 48;

    private final long guestBase;
    private final long size;
    private final MemorySegment segment;

    private MemoryRegion(long guestBase, MemorySegment segment) {
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException("guest memory must be writable");
        }
        long size = segment.byteSize();
        if (size == 0) {
            throw new IllegalArgumentException("empty region");
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("region of " + size + " bytes is larger than 2^48");
        }
        // The last byte must be addressable in an unsigned 64-bit guest-physical space.
        if (Long.compareUnsigned(guestBase, -1L - (size - 1L)) > 0) {
            throw new IllegalArgumentException(
                    "region 0x" + Long.toHexString(guestBase) + "+" + size + " wraps the 64-bit address space");
        }
        this.guestBase = guestBase;
        this.size = size;
        this.segment = segment;
    }

    /**
     * A region backed by a Java heap array (convenient for tests). A {@code byte[]}, so that
     * {@link dev.avps.runtime.DescriptorChain#readableView} can hand out {@code ByteBuffer}s of it.
     */
    public static MemoryRegion heap(long guestBase, int size) {
        return new MemoryRegion(guestBase, MemorySegment.ofArray(new byte[size]));
    }

    /** A zeroed off-heap region, freed when the region and every view of it are unreachable. */
    public static MemoryRegion direct(long guestBase, long size) {
        return new MemoryRegion(guestBase, Arena.ofAuto().allocate(size, 4096));
    }

    /**
     * A region backed by a shared read-write mapping of {@code channel}, e.g. a memfd received
     * from a VMM, unmapped when the region and its views are unreachable. The mapping stays valid
     * after the channel is closed.
     */
    public static MemoryRegion mapped(long guestBase, FileChannel channel, long fileOffset, long size)
            throws IOException {
        return mapped(guestBase, channel, fileOffset, size, Arena.ofAuto());
    }

    /**
     * Like {@link #mapped(long, FileChannel, long, long)}, unmapped when {@code arena} closes (a
     * shared arena's close waits until no thread is inside an access, so closing it while a queue
     * runs fails that queue's access with an exception instead of a crash).
     */
    public static MemoryRegion mapped(long guestBase, FileChannel channel, long fileOffset, long size, Arena arena)
            throws IOException {
        return new MemoryRegion(guestBase, channel.map(FileChannel.MapMode.READ_WRITE, fileOffset, size, arena));
    }

    /** A region over host memory someone else mapped or allocated; its arena owns it. */
    public static MemoryRegion of(long guestBase, MemorySegment segment) {
        return new MemoryRegion(guestBase, Objects.requireNonNull(segment, "segment"));
    }

    /** A region over the bytes between position and limit of an existing writable buffer. */
    public static MemoryRegion wrap(long guestBase, ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return new MemoryRegion(guestBase, MemorySegment.ofBuffer(buffer));
    }

    /** Guest-physical address of the first byte. */
    public long guestBase() {
        return guestBase;
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** Whether {@code [gpa, gpa+length)} lies entirely inside this region. */
    public boolean contains(long gpa, long length) {
        long offset = gpa - guestBase;
        return Long.compareUnsigned(offset, size) < 0 && length >= 0 && length <= size - offset
                || length == 0 && offset == size;
    }

    /**
     * The live host memory, shared with the queues and other threads; offset 0 is
     * {@link #guestBase()}. Concurrent access is ordered only by the protocol the caller follows.
     */
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public String toString() {
        return "MemoryRegion[0x" + Long.toHexString(guestBase) + "+0x" + Long.toHexString(size)
                + (segment.isNative() ? (segment.isMapped() ? ", mapped]" : ", direct]") : ", heap]");
    }
}
