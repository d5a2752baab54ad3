package dev.avps.runtime.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * One contiguous piece of guest-physical memory and the host buffer behind it.
 *
 * <p>A region is at most {@code Integer.MAX_VALUE} bytes because it is addressed through a
 * {@link ByteBuffer}; larger guests use several regions. The backing can live on the Java heap,
 * off-heap, or in a shared file mapping (a memfd or hugetlbfs file handed over by a VMM).
 */
public final class MemoryRegion {
    private final long guestBase;
    private final int size;
    private final ByteBuffer buffer;

    private MemoryRegion(long guestBase, ByteBuffer buffer) {
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("guest memory must be writable");
        }
        int size = buffer.capacity();
        if (size == 0) {
            throw new IllegalArgumentException("empty region");
        }
        // The last byte must be addressable in an unsigned 64-bit guest-physical space.
        if (Long.compareUnsigned(guestBase, -1L - (size - 1L)) > 0) {
            throw new IllegalArgumentException(
                    "region 0x" + Long.toHexString(guestBase) + "+" + size + " wraps the 64-bit address space");
        }
        this.guestBase = guestBase;
        this.size = size;
        this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A region backed by a Java heap array (convenient for tests). */
    public static MemoryRegion heap(long guestBase, int size) {
        return new MemoryRegion(guestBase, ByteBuffer.allocate(size));
    }

    /** A region backed by off-heap memory. */
    public static MemoryRegion direct(long guestBase, int size) {
        return new MemoryRegion(guestBase, ByteBuffer.allocateDirect(size));
    }

    /**
     * A region backed by a shared read-write mapping of {@code channel}, e.g. a memfd received
     * from a VMM. The mapping stays valid after the channel is closed.
     */
    public static MemoryRegion mapped(long guestBase, FileChannel channel, long fileOffset, int size)
            throws IOException {
        return new MemoryRegion(guestBase, channel.map(FileChannel.MapMode.READ_WRITE, fileOffset, size));
    }

    /** A region over the bytes between position and limit of an existing writable buffer. */
    public static MemoryRegion wrap(long guestBase, ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return new MemoryRegion(guestBase, buffer.slice());
    }

    /** Guest-physical address of the first byte. */
    public long guestBase() {
        return guestBase;
    }

    /** Size in bytes. */
    public int size() {
        return size;
    }

    /** Whether {@code [gpa, gpa+length)} lies entirely inside this region. */
    public boolean contains(long gpa, long length) {
        long offset = gpa - guestBase;
        return Long.compareUnsigned(offset, size) < 0 && length >= 0 && length <= size - offset
                || length == 0 && offset == size;
    }

    /**
     * The live backing buffer, shared with the queues and other threads. Use absolute accessors
     * only and never change its limit: ring code indexes it by absolute offset.
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public String toString() {
        return "MemoryRegion[0x" + Long.toHexString(guestBase) + "+0x" + Integer.toHexString(size)
                + (buffer.isDirect() ? ", direct]" : ", heap]");
    }
}
