package dev.avps.conform;

import dev.avps.runtime.Completion;
import dev.avps.vhostuser.driver.DriverRing;
import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Device-to-driver buffers on one queue (vsock rx, input events): the driver posts writable
 * buffers ahead of time and the device fills one whenever it has something to say. Unlike an
 * {@link Exchange}, nothing is waited for on posting; {@link #next} waits (bounded) for the next
 * buffer the device used, returns what it wrote and posts the buffer again, so the queue stays as
 * full as the caller made it.
 */
public final class Inbox {
    private final Session session;
    private final DriverRing ring;
    private final int size;
    /** Guest address of each buffer ever posted, by cookie. */
    private final List<Long> buffers = new ArrayList<>();

    Inbox(Session session, DriverRing ring, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("buffer size " + size);
        }
        this.session = session;
        this.ring = ring;
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Buffers posted and not yet used by the device. */
    public int posted() {
        return ring.queue().outstanding();
    }

    /** Posts {@code count} more buffers (each in its own descriptor, filled with {@link Exchange#FILL}). */
    public Inbox post(int count) throws FrontEndException {
        if (posted() + count > ring.queue().size()) {
            throw new IllegalArgumentException(count + " more buffers do not fit a queue of " + ring.queue().size());
        }
        for (int i = 0; i < count; i++) {
            buffers.add(session.reserve(size));
            submit(buffers.size() - 1);
        }
        return this;
    }

    private void submit(int cookie) throws FrontEndException {
        long gpa = buffers.get(cookie);
        session.fill(gpa, size, Exchange.FILL);
        ring.queue().addIn(gpa, size);
        ring.submit(cookie);
    }

    /**
     * The bytes the device wrote into the next buffer it used (its used length of them), waiting up
     * to {@code millis}; null when none came back in time. The buffer is posted again.
     */
    public byte[] next(long millis) throws FrontEndException {
        Completion c;
        try {
            c = ring.awaitUsed(Math.max(1, millis));
        } catch (FrontEndException e) {
            if (e.reason() == Reason.NO_COMPLETION) {
                return null;
            }
            throw e;
        }
        return take(c);
    }

    private byte[] take(Completion c) throws FrontEndException {
        int cookie = (int) c.cookie();
        int used = c.length();
        if (cookie < 0 || cookie >= buffers.size()) {
            throw new FrontEndException(Reason.RING_VIOLATION, "queue " + ring.index() + ": used entry for buffer "
                    + cookie + ", never posted");
        }
        if (used < 0 || used > size) {
            throw new FrontEndException(Reason.RING_VIOLATION, "queue " + ring.index() + ": used length " + used
                    + " in a " + size + "-byte buffer");
        }
        byte[] out = session.read(buffers.get(cookie), used);
        submit(cookie);
        return out;
    }
}
