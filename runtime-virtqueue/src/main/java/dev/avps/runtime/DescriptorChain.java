package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One buffer popped from a {@link DeviceQueue}: its device-readable segments followed by its
 * device-writable segments, already validated against guest memory.
 *
 * <p>This is a reusable flyweight: {@link DeviceQueue#pop} overwrites it in place and steady-state
 * use allocates nothing (the segment arrays grow only when a longer chain than ever before
 * arrives). A device that completes out of order keeps one instance per request in flight and
 * hands the same instance back to {@link DeviceQueue#push}.
 *
 * <p>"Logical offsets" index the concatenation of the readable segments (for reads) or of the
 * writable segments (for writes), so a request header is at readable offset 0 and a trailing
 * status byte at writable offset {@code writableBytes() - 1}, however the driver split them.
 * Not thread-safe; a chain belongs to the thread that popped it until it is pushed.
 */
public final class DescriptorChain {
    // Buffers sit wherever the driver put them: no alignment is assumed.
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private GuestMemory memory;
    private Object owner;
    private boolean inFlight;
    private int id;
    private int ringSlots;

    private int[] len;
    /** {@link GuestMemory#translate} result of each segment: region index and offset in it. */
    private long[] where;
    private int count;
    private int readable;
    private long readableBytes;
    private long writableBytes;

    public DescriptorChain() {
        this(8);
    }

    /** @param initialSegments capacity before the first growth */
    public DescriptorChain(int initialSegments) {
        int n = Math.max(1, initialSegments);
        len = new int[n];
        where = new long[n];
    }

    // ---- filled by the queue implementations ----

    void begin(GuestMemory memory, Object owner) {
        // Reference stores cost a GC write barrier (a StoreLoad fence under G1 once the chain is in
        // the old generation); a chain is almost always refilled by the same queue, so skip them.
        if (this.owner != owner) {
            this.memory = memory;
            this.owner = owner;
        }
        this.inFlight = false;
        this.count = 0;
        this.readable = 0;
        this.readableBytes = 0;
        this.writableBytes = 0;
    }

    /**
     * Caller has checked ordering (no readable after writable) and the translation. Only the
     * translation is kept: the guest address follows from it, and one store fewer per segment
     * matters on the pop path.
     */
    void add(int length, long translated, boolean writable) {
        int i = count;
        if (i == len.length) {
            grow();
        }
        len[i] = length;
        where[i] = translated;
        count = i + 1;
        if (writable) {
            writableBytes += length;
        } else {
            readable++;
            readableBytes += length;
        }
    }

    int segmentCount() {
        return count;
    }

    boolean hasWritable() {
        return count > readable;
    }

    void complete(int id, int ringSlots) {
        this.id = id;
        this.ringSlots = ringSlots;
        this.inFlight = true;
    }

    boolean isInFlightOn(Object queue) {
        return inFlight && owner == queue;
    }

    void retire() {
        inFlight = false;
    }

    int ringSlots() {
        return ringSlots;
    }

    private void grow() {
        int n = len.length * 2;
        len = java.util.Arrays.copyOf(len, n);
        where = java.util.Arrays.copyOf(where, n);
    }

    private long address(int k) {
        long t = where[k];
        return memory.region(GuestMemory.regionIndex(t)).guestBase() + GuestMemory.regionOffset(t);
    }

    // ---- public view ----

    /** Identifier echoed to the driver on completion (split: head index; packed: buffer id). */
    public int id() {
        return id;
    }

    /** Whether this chain has been popped and not yet pushed back. */
    public boolean isInFlight() {
        return inFlight;
    }

    public int readableCount() {
        return readable;
    }

    public int writableCount() {
        return count - readable;
    }

    /** Guest-physical address of readable segment {@code i}. */
    public long readableAddress(int i) {
        return address(Objects.checkIndex(i, readable));
    }

    public int readableLength(int i) {
        return len[Objects.checkIndex(i, readable)];
    }

    /** Guest-physical address of writable segment {@code i}. */
    public long writableAddress(int i) {
        return address(readable + Objects.checkIndex(i, count - readable));
    }

    public int writableLength(int i) {
        return len[readable + Objects.checkIndex(i, count - readable)];
    }

    /** Total device-readable bytes. */
    public long readableBytes() {
        return readableBytes;
    }

    /** Total device-writable bytes; the upper bound for the used length. */
    public long writableBytes() {
        return writableBytes;
    }

    /**
     * Copies up to {@code length} bytes starting at logical readable offset {@code offset} into
     * {@code dst}; returns how many were copied (fewer when the readable part ends first).
     */
    public int copyFromReadable(long offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        return transfer(0, readable, offset, dst, dstOffset, length, false);
    }

    /**
     * Copies up to {@code length} bytes of {@code src} into the writable part at logical offset
     * {@code offset}; returns how many fit.
     */
    public int copyToWritable(long offset, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        return transfer(readable, count, offset, src, srcOffset, length, true);
    }

    /**
     * The guest memory of readable segment {@code i} as a buffer (position 0, limit its length),
     * for I/O straight from guest memory, e.g. a positional file write. Allocates a small view
     * object: meant for data paths that move kilobytes, not for header fields. The segment may lie
     * anywhere in a region of any size, but a {@code ByteBuffer} holds at most 2 GiB - 1 bytes, so
     * the view of a longer descriptor fails with {@code UnsupportedOperationException}.
     */
    public ByteBuffer readableView(int i) {
        Objects.checkIndex(i, readable);
        return view(i);
    }

    /** The guest memory of writable segment {@code i} as a buffer; see {@link #readableView}. */
    public ByteBuffer writableView(int i) {
        Objects.checkIndex(i, count - readable);
        return view(readable + i);
    }

    private ByteBuffer view(int k) {
        return memory.segment(GuestMemory.regionIndex(where[k]))
                .asSlice(GuestMemory.regionOffset(where[k]), Integer.toUnsignedLong(len[k]))
                .asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The segment of chain segment {@code k}, from its start; valid for {@code len[k]} bytes. */
    private MemorySegment segmentOf(int k) {
        return memory.segment(GuestMemory.regionIndex(where[k]));
    }

    /** Like {@link #copyFromReadable(long, byte[], int, int)} filling {@code dst}'s remaining space. */
    public int copyFromReadable(long offset, ByteBuffer dst) {
        return transfer(0, readable, offset, dst, false);
    }

    /** Like {@link #copyToWritable(long, byte[], int, int)} draining {@code src}'s remaining bytes. */
    public int copyToWritable(long offset, ByteBuffer src) {
        return transfer(readable, count, offset, src, true);
    }

    /** The readable byte at a logical offset. */
    public byte readByte(long offset) {
        return (byte) readLE(offset, 1);
    }

    /** Little-endian 16-bit value at a logical readable offset (may straddle segments). */
    public short readShortLE(long offset) {
        return (short) readLE(offset, 2);
    }

    public int readIntLE(long offset) {
        return (int) readLE(offset, 4);
    }

    public long readLongLE(long offset) {
        return readLE(offset, 8);
    }

    /** Stores one byte at a logical writable offset, e.g. a status byte at {@code writableBytes()-1}. */
    public void writeByte(long offset, byte value) {
        writeLE(offset, value, 1);
    }

    public void writeShortLE(long offset, short value) {
        writeLE(offset, value, 2);
    }

    public void writeIntLE(long offset, int value) {
        writeLE(offset, value, 4);
    }

    public void writeLongLE(long offset, long value) {
        writeLE(offset, value, 8);
    }

    private long readLE(long offset, int size) {
        if (offset < 0 || offset > readableBytes - size) {
            throw new IndexOutOfBoundsException("read of " + size + " bytes at offset " + offset
                    + " outside " + readableBytes + " readable bytes");
        }
        int i = 0;
        while (offset >= len[i]) {
            offset -= len[i];
            i++;
        }
        MemorySegment b = segmentOf(i);
        long at = GuestMemory.regionOffset(where[i]) + offset;
        if (len[i] - offset >= size) {
            // Common case: the whole value sits in one segment.
            switch (size) {
                case 1: return b.get(ValueLayout.JAVA_BYTE, at);
                case 2: return b.get(U16, at);
                case 4: return b.get(U32, at);
                default: return b.get(U64, at);
            }
        }
        long v = 0;
        for (int k = 0; k < size; k++) {
            while (offset >= len[i]) {
                offset -= len[i];
                i++;
            }
            v |= (segmentOf(i).get(ValueLayout.JAVA_BYTE, GuestMemory.regionOffset(where[i]) + offset) & 0xFFL) << (8 * k);
            offset++;
        }
        return size == 8 ? v : (v << (64 - 8 * size)) >> (64 - 8 * size);
    }

    private void writeLE(long offset, long value, int size) {
        if (offset < 0 || offset > writableBytes - size) {
            throw new IndexOutOfBoundsException("write of " + size + " bytes at offset " + offset
                    + " outside " + writableBytes + " writable bytes");
        }
        int i = readable;
        while (offset >= len[i]) {
            offset -= len[i];
            i++;
        }
        MemorySegment b = segmentOf(i);
        long at = GuestMemory.regionOffset(where[i]) + offset;
        if (len[i] - offset >= size) {
            switch (size) {
                case 1: b.set(ValueLayout.JAVA_BYTE, at, (byte) value); return;
                case 2: b.set(U16, at, (short) value); return;
                case 4: b.set(U32, at, (int) value); return;
                default: b.set(U64, at, value); return;
            }
        }
        for (int k = 0; k < size; k++) {
            while (offset >= len[i]) {
                offset -= len[i];
                i++;
            }
            segmentOf(i).set(ValueLayout.JAVA_BYTE, GuestMemory.regionOffset(where[i]) + offset, (byte) (value >>> (8 * k)));
            offset++;
        }
    }

    private int transfer(int first, int end, long offset, byte[] array, int arrayOffset, int length, boolean toGuest) {
        if (offset < 0) {
            throw new IndexOutOfBoundsException("negative offset " + offset);
        }
        int i = first;
        while (i < end && offset >= len[i]) {
            offset -= len[i];
            i++;
        }
        int done = 0;
        while (i < end && done < length) {
            int chunk = (int) Math.min(len[i] - offset, length - done);
            MemorySegment b = segmentOf(i);
            long at = GuestMemory.regionOffset(where[i]) + offset;
            if (toGuest) {
                MemorySegment.copy(array, arrayOffset + done, b, ValueLayout.JAVA_BYTE, at, chunk);
            } else {
                MemorySegment.copy(b, ValueLayout.JAVA_BYTE, at, array, arrayOffset + done, chunk);
            }
            done += chunk;
            offset = 0;
            i++;
        }
        return done;
    }

    private int transfer(int first, int end, long offset, ByteBuffer other, boolean toGuest) {
        if (offset < 0) {
            throw new IndexOutOfBoundsException("negative offset " + offset);
        }
        int i = first;
        while (i < end && offset >= len[i]) {
            offset -= len[i];
            i++;
        }
        int done = 0;
        int length = other.remaining();
        int base = other.position();
        // Covers other's position..limit; a read-only buffer fails here when it would be written.
        MemorySegment o = length == 0 ? MemorySegment.NULL : MemorySegment.ofBuffer(other);
        while (i < end && done < length) {
            int chunk = (int) Math.min(len[i] - offset, length - done);
            MemorySegment b = segmentOf(i);
            long at = GuestMemory.regionOffset(where[i]) + offset;
            if (toGuest) {
                MemorySegment.copy(o, done, b, at, chunk);
            } else {
                MemorySegment.copy(b, at, o, done, chunk);
            }
            done += chunk;
            offset = 0;
            i++;
        }
        other.position(base + done);
        return done;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DescriptorChain[id=").append(id).append(", r=");
        for (int i = 0; i < count; i++) {
            if (i == readable) {
                sb.append(" w=");
            }
            sb.append("0x").append(Long.toHexString(address(i))).append('+').append(len[i]).append(' ');
        }
        return sb.append(']').toString();
    }
}
