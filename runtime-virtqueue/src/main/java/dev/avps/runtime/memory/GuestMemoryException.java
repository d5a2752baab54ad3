package dev.avps.runtime.memory;

/**
 * Raised by the direct {@link GuestMemory} accessors when an address range is not backed by
 * guest memory. The queues never let this escape: they validate every guest-supplied range
 * first and report it as a {@link dev.avps.runtime.VirtqueueException} instead.
 */
public final class GuestMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;
    private final long length;

    public GuestMemoryException(String message, long address, long length) {
        super(message);
        this.address = address;
        this.length = length;
    }

    /** Guest-physical start of the rejected range. */
    public long address() {
        return address;
    }

    /** Length in bytes of the rejected range. */
    public long length() {
        return length;
    }
}
