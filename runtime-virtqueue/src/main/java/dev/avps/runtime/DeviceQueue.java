package dev.avps.runtime;

/**
 * The device end of one virtqueue, independent of the ring format negotiated.
 *
 * <p>Used by a single device thread. Typical loop:
 * <pre>{@code
 * while (queue.pop(chain)) {
 *     int written = handle(chain);          // parse chain.readIntLE(0), fill writable part...
 *     queue.addUsed(chain, written);
 * }
 * queue.flushUsed();
 * if (queue.needsNotification()) transport.notifyDriver();
 * }</pre>
 * Every method that reads driver-controlled memory throws {@link VirtqueueException} on a
 * protocol violation and moves the queue to {@link QueueState#NEEDS_RESET}; it never throws an
 * unchecked exception, loops without bound or touches memory outside the guest regions because
 * of ring contents.
 */
public interface DeviceQueue {
    /** Number of descriptors in the ring. */
    int size();

    /** Negotiated feature bits this queue honours. */
    long features();

    /**
     * Takes the next available buffer into {@code chain}.
     *
     * @return false if the driver has made nothing new available
     * @throws IllegalStateException if {@code chain} was popped from this queue and not pushed yet
     */
    boolean pop(DescriptorChain chain) throws VirtqueueException;

    /**
     * Records {@code chain} as used with {@code writtenLength} bytes written into its writable
     * part. The driver may not see it before {@link #flushUsed()}.
     *
     * @throws VirtqueueException {@code USED_LENGTH_TOO_LARGE} if the length exceeds the writable space
     * @throws IllegalStateException if the chain was not popped from this queue, is pushed twice,
     *     or (with IN_ORDER) is not the oldest buffer in flight
     */
    void addUsed(DescriptorChain chain, int writtenLength) throws VirtqueueException;

    /** Publishes all buffers recorded with {@link #addUsed} to the driver. */
    void flushUsed();

    /** {@link #addUsed} followed by {@link #flushUsed}. */
    default void push(DescriptorChain chain, int writtenLength) throws VirtqueueException {
        addUsed(chain, writtenLength);
        flushUsed();
    }

    /**
     * Whether the driver asked to be notified about the buffers published since the previous
     * call (flags or EVENT_IDX rule). Call after {@link #flushUsed()}.
     */
    boolean needsNotification();

    /** Asks the driver not to send available-buffer notifications (the device is polling). */
    void disableNotifications();

    /**
     * Asks the driver for available-buffer notifications again.
     *
     * @return true if buffers became available meanwhile, so the caller must pop again rather
     *     than sleep (otherwise a kick may have been suppressed and lost)
     */
    boolean enableNotifications();

    QueueState state();

    /**
     * Where a queue rebuilt with {@link Virtqueues#device(dev.avps.runtime.memory.GuestMemory,
     * QueueConfig, long, int)} must pick up so that every chain not yet completed is offered again
     * (call it between batches, after {@link #flushUsed}): chains popped but not completed are
     * forgotten, which is right for a backend that completes in order or parks at most its last
     * chain. The encoding is vhost's ring base: for a split ring the used index; for a packed ring
     * {@code slot | wrap << 15} of the next used slot, in both the low (avail) and high (used) half.
     */
    int resumePosition();

    /** The error that put the queue in NEEDS_RESET, or null. */
    VirtqueueException failure();

    /** Creates a chain flyweight suited to this queue. */
    default DescriptorChain newChain() {
        return new DescriptorChain(Math.min(size(), 16));
    }
}
