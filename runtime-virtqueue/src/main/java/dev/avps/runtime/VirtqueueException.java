package dev.avps.runtime;

/**
 * A ring-protocol violation by the other side of a queue (usually a buggy or hostile driver),
 * or a ring layout the queue cannot use. After one of these the queue is in
 * {@link QueueState#NEEDS_RESET} and keeps throwing this same exception.
 */
public final class VirtqueueException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What exactly was wrong. */
    public enum Reason {
        /** A chain revisits a descriptor (split ring, or within an indirect table). */
        DESCRIPTOR_LOOP,
        /** A chain has more descriptors than the queue size allows. */
        CHAIN_TOO_LONG,
        /** An avail ring entry names a head descriptor beyond the table. */
        HEAD_OUT_OF_RANGE,
        /** A {@code next} field points beyond the descriptor table (or indirect table). */
        NEXT_OUT_OF_RANGE,
        /** An indirect table length is zero or not a multiple of 16. */
        INDIRECT_BAD_LENGTH,
        /** An indirect descriptor appears inside an indirect table. */
        INDIRECT_NESTED,
        /** An indirect descriptor also has the NEXT flag. */
        INDIRECT_WITH_NEXT,
        /** An indirect descriptor was used although INDIRECT_DESC was not negotiated. */
        INDIRECT_NOT_NEGOTIATED,
        /** Address plus length wraps past 2^64. */
        ADDRESS_OVERFLOW,
        /** A buffer is not backed by guest memory. */
        ADDRESS_OUT_OF_RANGE,
        /** A buffer starts in one memory region and ends in another (or in a hole). */
        CROSSES_REGION,
        /** A device-readable descriptor follows a device-writable one. */
        READABLE_AFTER_WRITABLE,
        /**
         * The driver made more buffers available than the ring holds: the split avail index moved
         * by more than the queue size, or packed descriptors in flight would exceed it.
         */
        AVAIL_INDEX_JUMP,
        /** A used length exceeds the writable space of the chain. */
        USED_LENGTH_TOO_LARGE,
        /** The device's used index moved by more than the number of outstanding buffers. */
        USED_INDEX_JUMP,
        /** The device returned an id that is not outstanding. */
        USED_ID_INVALID,
        /** IN_ORDER was negotiated but the device completed buffers out of order. */
        USED_OUT_OF_ORDER,
        /** Ring addresses or queue size unusable (unaligned, unmapped, bad size). */
        BAD_RING_LAYOUT
    }

    private final Reason reason;
    private final int descriptorIndex;
    private final long address;
    private final long length;

    public VirtqueueException(Reason reason, String message, int descriptorIndex, long address, long length) {
        super(reason + ": " + message);
        this.reason = reason;
        this.descriptorIndex = descriptorIndex;
        this.address = address;
        this.length = length;
    }

    public VirtqueueException(Reason reason, String message) {
        this(reason, message, -1, -1, -1);
    }

    public Reason reason() {
        return reason;
    }

    /** Offending descriptor index (ring slot or indirect table entry), or -1. */
    public int descriptorIndex() {
        return descriptorIndex;
    }

    /** Offending guest-physical address, or -1. */
    public long address() {
        return address;
    }

    /** Offending length, or -1. */
    public long length() {
        return length;
    }
}
