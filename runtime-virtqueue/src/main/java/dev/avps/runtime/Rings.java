package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;
import java.lang.foreign.MemorySegment;

/** Shared plumbing of the four ring implementations. */
final class Rings {
    // Descriptor flags common to both formats.
    static final int F_NEXT = 1;
    static final int F_WRITE = 2;
    static final int F_INDIRECT = 4;

    /**
     * Longest chain the devices' straight-line paths take (requests are mostly a header, a data
     * buffer and a status byte); longer or indirect chains go through the general walks.
     */
    static final int SHORT_CHAIN = 4;

    private Rings() {
    }

    /**
     * The VIRTIO event-index rule: notify iff {@code event} lies in the window of indexes
     * {@code [old, now)} just published, all modulo 2^16.
     */
    static boolean needEvent(int event, int now, int old) {
        return ((now - event - 1) & 0xffff) < ((now - old) & 0xffff);
    }

    /**
     * Resolves a ring area once, at setup, to a slice of its region's segment: the whole area lies
     * inside one region, and every later access through the slice is bounds-checked against it.
     */
    static MemorySegment map(GuestMemory memory, long gpa, long length, int alignment, String what)
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
        MemorySegment area = memory.segment(GuestMemory.regionIndex(t)).asSlice(GuestMemory.regionOffset(t), length);
        // Index and flags words are published with acquire/release and must be single-copy atomic,
        // so the host address must be aligned too. A heap segment's address() is its offset in the
        // array, whose elements start 8-byte aligned, so it has the same low bits as the real address.
        if (alignment >= 2 && (area.address() & 1) != 0) {
            throw new VirtqueueException(VirtqueueException.Reason.BAD_RING_LAYOUT,
                    what + " at 0x" + Long.toHexString(gpa) + " is backed by misaligned host memory", -1, gpa, length);
        }
        return area;
    }

    static void checkSize(int size, boolean packed) throws VirtqueueException {
        if (!RingLayout.validSize(packed, size)) {
            throw new VirtqueueException(VirtqueueException.Reason.BAD_RING_LAYOUT, "queue size " + size
                    + (packed ? " is not in 1.." : " is not a power of two in 1..") + RingLayout.MAX_SIZE);
        }
    }

    /**
     * Validates one data descriptor and appends it to {@code chain}. Zero-length descriptors carry
     * no bytes, so they are accepted without an address check and not recorded. {@code format} and
     * {@code indirectTable} (-1 outside an indirect table) only name the place in error messages,
     * which are built on failure so that parsing allocates nothing.
     */
    static void addSegment(DescriptorChain chain, GuestMemory memory, long addr, int rawLength, int flags,
            int index, String format, long indirectTable) throws VirtqueueException {
        boolean writable = (flags & F_WRITE) != 0;
        if (!writable && chain.hasWritable()) {
            throw readableAfterWritable(addr, rawLength, index, format, indirectTable);
        }
        long length = rawLength & 0xffffffffL;
        if (length == 0) {
            return;
        }
        long t = memory.translate(addr, length);
        if (t < 0) {
            throw badAddress(t, where(format, indirectTable) + " descriptor " + index, addr, length, index);
        }
        chain.add((int) length, t, writable);
    }

    /**
     * {@link #addSegment} for the short-chain paths, which leave every error to the general walk:
     * the same checks in the same order, but false where addSegment throws (the chain is then
     * refilled from its start by the general walk, which reads the descriptors again and names
     * the error).
     */
    static boolean tryAddSegment(DescriptorChain chain, GuestMemory memory, long addr, int rawLength, int flags) {
        boolean writable = (flags & F_WRITE) != 0;
        if (!writable && chain.hasWritable()) {
            return false;
        }
        long length = rawLength & 0xffffffffL;
        if (length == 0) {
            return true;
        }
        long t = memory.translate(addr, length);
        if (t < 0) {
            return false;
        }
        chain.add((int) length, t, writable);
        return true;
    }

    /** Out of line so that addSegment() stays small enough to inline into the chain walks. */
    private static VirtqueueException readableAfterWritable(long addr, int rawLength, int index, String format,
            long indirectTable) {
        return new VirtqueueException(VirtqueueException.Reason.READABLE_AFTER_WRITABLE,
                where(format, indirectTable) + " descriptor " + index + " (0x" + Long.toHexString(addr) + "+"
                        + Integer.toUnsignedString(rawLength) + ") is device-readable but follows a device-writable descriptor",
                index, addr, rawLength & 0xffffffffL);
    }

    private static String where(String format, long indirectTable) {
        return indirectTable < 0 ? format : format + " indirect table 0x" + Long.toHexString(indirectTable);
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
