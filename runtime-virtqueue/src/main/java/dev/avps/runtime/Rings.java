package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Shared plumbing of the four ring implementations. */
final class Rings {
    /** Little-endian views; acquire/release modes need naturally aligned offsets, checked at setup. */
    static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle U64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // Descriptor flags common to both formats.
    static final int F_NEXT = 1;
    static final int F_WRITE = 2;
    static final int F_INDIRECT = 4;

    private Rings() {
    }

    /**
     * The VIRTIO event-index rule: notify iff {@code event} lies in the window of indexes
     * {@code [old, now)} just published, all modulo 2^16.
     */
    static boolean needEvent(int event, int now, int old) {
        return ((now - event - 1) & 0xffff) < ((now - old) & 0xffff);
    }

    /** A ring area resolved once to the buffer and offset it lives at. */
    static final class Area {
        final ByteBuffer buffer;
        final int base;

        Area(ByteBuffer buffer, int base) {
            this.buffer = buffer;
            this.base = base;
        }
    }

    static Area map(GuestMemory memory, long gpa, long length, int alignment, String what)
            throws VirtqueueException {
        if ((gpa & (alignment - 1)) != 0) {
            throw new VirtqueueException(VirtqueueException.Reason.BAD_RING_LAYOUT,
                    what + " at 0x" + Long.toHexString(gpa) + " is not " + alignment + "-byte aligned", -1, gpa, length);
        }
        long t = memory.translate(gpa, length);
        if (t < 0) {
            throw new VirtqueueException(VirtqueueException.Reason.BAD_RING_LAYOUT,
                    what + " 0x" + Long.toHexString(gpa) + "+" + length + " " + GuestMemory.describe(t)
                            + " (ring areas must lie inside one region)", -1, gpa, length);
        }
        Area area = new Area(memory.region(GuestMemory.regionIndex(t)).buffer(), GuestMemory.regionOffset(t));
        try {
            // Atomic access modes also need the host address aligned; probe once instead of per access.
            if (alignment >= 2) {
                U16.getAcquire(area.buffer, area.base);
            }
        } catch (IllegalStateException e) {
            throw new VirtqueueException(VirtqueueException.Reason.BAD_RING_LAYOUT,
                    what + " at 0x" + Long.toHexString(gpa) + " is backed by misaligned host memory", -1, gpa, length);
        }
        return area;
    }

    static void checkSize(int size, boolean powerOfTwo) throws VirtqueueException {
        if (size < 1 || size > Virtqueues.MAX_SIZE || powerOfTwo && Integer.bitCount(size) != 1) {
            throw new VirtqueueException(VirtqueueException.Reason.BAD_RING_LAYOUT,
                    "queue size " + size + (powerOfTwo ? " is not a power of two in 1..32768" : " is not in 1..32768"));
        }
    }

    /**
     * Validates one data descriptor and appends it to {@code chain}. Zero-length descriptors carry
     * no bytes, so they are accepted without an address check and not recorded.
     */
    static void addSegment(DescriptorChain chain, GuestMemory memory, long addr, int rawLength, int flags,
            int index, String where) throws VirtqueueException {
        boolean writable = (flags & F_WRITE) != 0;
        if (!writable && chain.hasWritable()) {
            throw new VirtqueueException(VirtqueueException.Reason.READABLE_AFTER_WRITABLE,
                    where + " descriptor " + index + " (0x" + Long.toHexString(addr) + "+" + Integer.toUnsignedString(rawLength)
                            + ") is device-readable but follows a device-writable descriptor", index, addr, rawLength & 0xffffffffL);
        }
        long length = rawLength & 0xffffffffL;
        if (length == 0) {
            return;
        }
        long t = memory.translate(addr, length);
        if (t < 0) {
            throw badAddress(t, where + " descriptor " + index, addr, length, index);
        }
        chain.add(addr, (int) length, t, writable);
    }

    static VirtqueueException badAddress(long translateResult, String what, long addr, long length, int index) {
        VirtqueueException.Reason reason = translateResult == GuestMemory.WRAPS
                ? VirtqueueException.Reason.ADDRESS_OVERFLOW
                : translateResult == GuestMemory.CROSSES_REGION
                        ? VirtqueueException.Reason.CROSSES_REGION
                        : VirtqueueException.Reason.ADDRESS_OUT_OF_RANGE;
        return new VirtqueueException(reason, what + ": buffer 0x" + Long.toHexString(addr) + "+" + length + " "
                + GuestMemory.describe(translateResult), index, addr, length);
    }

    static void checkUsedLength(DescriptorChain chain, int writtenLength, String where) throws VirtqueueException {
        if (Integer.toUnsignedLong(writtenLength) > chain.writableBytes()) {
            throw new VirtqueueException(VirtqueueException.Reason.USED_LENGTH_TOO_LARGE,
                    where + " chain " + chain.id() + ": used length " + Integer.toUnsignedString(writtenLength)
                            + " exceeds its " + chain.writableBytes() + " writable bytes",
                    chain.id(), -1, Integer.toUnsignedLong(writtenLength));
        }
    }

    static void checkInFlight(DescriptorChain chain, Object queue) {
        if (!chain.isInFlightOn(queue)) {
            throw new IllegalStateException("chain " + chain.id() + " was not popped from this queue or was already pushed");
        }
    }
}
