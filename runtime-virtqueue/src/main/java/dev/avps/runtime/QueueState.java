package dev.avps.runtime;

/** Life-cycle of one queue end. */
public enum QueueState {
    /** Processing normally. */
    READY,
    /**
     * The other side broke the ring protocol; every further operation fails with the stored
     * {@link VirtqueueException} until the queue is rebuilt after a device reset.
     */
    NEEDS_RESET
}
