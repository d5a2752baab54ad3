package dev.avps.vhostuser.driver;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.VirtqueueException;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import java.util.concurrent.TimeUnit;

/**
 * One queue the front end set up on the backend: the runtime's {@link DriverQueue} over the shared
 * memory (which validates every used entry the device writes), its kick, call and err eventfds,
 * and a {@link RawRingWriter} for chains the driver queue would never build.
 */
public final class DriverRing implements AutoCloseable {
    /** How long one wait on the call eventfd lasts before the ring is looked at again. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final int index;
    private final QueueConfig config;
    private final DriverQueue queue;
    private final RawRingWriter raw;
    private final Notifier kick;
    private final Notifier call;
    private final Notifier err;

    DriverRing(int index, QueueConfig config, DriverQueue queue, RawRingWriter raw, Notifier kick, Notifier call,
            Notifier err) {
        this.index = index;
        this.config = config;
        this.queue = queue;
        this.raw = raw;
        this.kick = kick;
        this.call = call;
        this.err = err;
    }

    public int index() {
        return index;
    }

    public QueueConfig config() {
        return config;
    }

    /** The driver end: stage buffers with addOut/addIn, then {@link #submit}. */
    public DriverQueue queue() {
        return queue;
    }

    /** Writes descriptors by hand, for hostile chains (see {@link HostileChain}). */
    public RawRingWriter raw() {
        return raw;
    }

    /** Submits the staged buffers and kicks if the device asks for it; returns the chain id. */
    public int submit(long cookie) throws FrontEndException {
        int id;
        try {
            id = queue.submit(cookie);
        } catch (VirtqueueException e) {
            throw violation(e);
        }
        if (id < 0) {
            throw new FrontEndException(Reason.NOT_OFFERED, "queue " + index + " has no free descriptors ("
                    + queue.outstanding() + " chains outstanding)");
        }
        if (queue.kickNeeded()) {
            kick.signal();
        }
        return id;
    }

    /** Kicks unconditionally (after raw writes, which bypass the suppression rules). */
    public void kick() throws FrontEndException {
        kick.signal();
    }

    /**
     * Waits for the next used buffer. Fails with {@code RING_VIOLATION} when the device writes a
     * used entry the driver queue refuses, {@code DEVICE_ERROR} when the backend signals the err
     * fd, and {@code NO_COMPLETION} when nothing comes back in time.
     */
    public Completion awaitUsed(long timeoutMillis) throws FrontEndException {
        Completion c = new Completion();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (;;) {
            try {
                if (queue.pollUsed(c)) {
                    return c;
                }
            } catch (VirtqueueException e) {
                throw violation(e);
            }
            if (err.poll()) {
                throw new FrontEndException(Reason.DEVICE_ERROR, "queue " + index
                        + ": the backend signalled its error eventfd (it stopped the ring)");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new FrontEndException(Reason.NO_COMPLETION, "queue " + index + ": no used buffer within "
                        + timeoutMillis + " ms (" + queue.outstanding() + " chains outstanding)");
            }
            // A call may have been suppressed or raced the poll: look at the ring again regularly.
            call.await(Math.min(left, RECHECK_NANOS));
        }
    }

    /** Whether the backend signals the err eventfd within the timeout (its refusal of a broken ring). */
    public boolean awaitError(long timeoutMillis) throws FrontEndException {
        return err.await(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    private FrontEndException violation(VirtqueueException e) {
        return new FrontEndException(Reason.RING_VIOLATION, "queue " + index + ": " + e.getMessage(), e);
    }

    /** Closes this end's eventfds (the backend holds its own copies until it drops them). */
    @Override
    public void close() {
        kick.close();
        call.close();
        err.close();
    }
}
