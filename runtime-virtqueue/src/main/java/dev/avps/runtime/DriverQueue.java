package dev.avps.runtime;

/**
 * The driver end of one virtqueue, independent of ring format: what a guest driver does, used
 * by tests, simulations and benchmarks to drive devices.
 *
 * <pre>{@code
 * queue.addOut(reqAddr, 16).addIn(respAddr, 512);
 * int id = queue.submit(cookie);            // -1 when the ring is full
 * if (queue.kickNeeded()) transport.kick();
 * ...
 * while (queue.pollUsed(completion)) { use(completion.cookie(), completion.length()); }
 * }</pre>
 * Used by a single driver thread. Device misbehaviour seen while reclaiming (bad ids, lengths,
 * index jumps) is reported as {@link VirtqueueException} and the queue goes to NEEDS_RESET.
 */
public interface DriverQueue {
    int size();

    long features();

    /** Stages a device-readable buffer for the next {@link #submit}. */
    DriverQueue addOut(long gpa, int length);

    /** Stages a device-writable buffer for the next {@link #submit}. */
    DriverQueue addIn(long gpa, int length);

    /** Drops staged buffers. */
    void clearStaged();

    /**
     * Publishes the staged buffers as one chain (readable ones first) and clears the staging.
     *
     * @return the chain id (split: head descriptor, packed: buffer id), or -1 if the ring has no
     *     room now; staging is kept in that case so the caller can retry after reclaiming
     * @throws IllegalStateException if nothing is staged or the chain can never fit
     */
    int submit(long cookie) throws VirtqueueException;

    /**
     * Whether the device wants an available-buffer notification for the chains submitted since
     * the previous call (flags or EVENT_IDX rule).
     */
    boolean kickNeeded();

    /** Reclaims the next used buffer into {@code out}; false if none. */
    boolean pollUsed(Completion out) throws VirtqueueException;

    /** Asks the device not to send used-buffer notifications. */
    void disableCallbacks();

    /**
     * Asks for used-buffer notifications again.
     *
     * @return true if used buffers are already pending (poll before sleeping)
     */
    boolean enableCallbacks();

    /** Chains submitted and not yet reclaimed. */
    int outstanding();

    QueueState state();

    VirtqueueException failure();
}
