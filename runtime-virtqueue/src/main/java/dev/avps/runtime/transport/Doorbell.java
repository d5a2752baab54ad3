package dev.avps.runtime.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

// The ringing thread writes the count and the waiting thread writes the waiter slot. Each sits
// between padding superclasses (HotSpot lays superclass fields out first and never reorders across
// the hierarchy), so the two threads do not false-share with each other or with neighbours.

abstract class DoorbellPad0 {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class DoorbellCount extends DoorbellPad0 {
    volatile long rings;
}

abstract class DoorbellPad1 extends DoorbellCount {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class DoorbellWaiter extends DoorbellPad1 {
    volatile Thread waiter;
}

abstract class DoorbellPad2 extends DoorbellWaiter {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/**
 * A notification line between two threads: one side {@link #ring()}s, the other waits for the
 * ring count to move. Lock-free and allocation-free; a waiter spins briefly, then parks.
 */
public final class Doorbell extends DoorbellPad2 {
    private static final VarHandle RINGS;
    private static final VarHandle WAITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RINGS = l.findVarHandle(DoorbellCount.class, "rings", long.class);
            WAITER = l.findVarHandle(DoorbellWaiter.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Signals the other side. */
    public void ring() {
        // getAndAdd is a full barrier: the ring-structure stores made before this call are visible
        // to a waiter that observes the new count, and the waiter read below cannot move above it
        // (pairs with the volatile waiter store + count re-check in await()).
        RINGS.getAndAdd(this, 1L);
        Thread t = (Thread) WAITER.getAcquire(this);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Number of rings so far. */
    public long count() {
        return (long) RINGS.getAcquire(this);
    }

    /**
     * Waits until the count differs from {@code seen} or the timeout elapses.
     *
     * @return the current count
     */
    public long await(long seen, long timeout, TimeUnit unit) {
        for (int spin = 0; spin < 256; spin++) {
            long now = count();
            if (now != seen) {
                return now;
            }
            Thread.onSpinWait();
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        // Volatile store, then re-read the count: mirrors ring()'s count-then-waiter order, so
        // either ring() sees us and unparks, or we see its new count and do not park.
        WAITER.setVolatile(this, Thread.currentThread());
        try {
            long now;
            while ((now = count()) == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            return now;
        } finally {
            WAITER.setRelease(this, null);
        }
    }
}
