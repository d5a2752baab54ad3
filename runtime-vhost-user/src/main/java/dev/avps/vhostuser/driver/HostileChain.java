package dev.avps.vhostuser.driver;

import dev.avps.runtime.VirtqueueException.Reason;

/**
 * Malformed split chains a conforming device must refuse (VIRTIO 1.x 2.7.4.2 and 2.7.5), the
 * same cases the runtime's hostile-driver tests feed a device queue, each with the reason our
 * device queue gives for it. Written through a {@link RawRingWriter} into the descriptors from
 * {@link #FIRST_DESCRIPTOR} on, then published; the caller kicks.
 */
public enum HostileChain {
    /** One readable descriptor whose buffer lies beyond every memory region. */
    OUTSIDE_MEMORY(Reason.ADDRESS_OUT_OF_RANGE) {
        @Override
        void write(RawRingWriter w, int d, long buffer) {
            w.splitDescriptor(d, 0x7fff_0000_0000L, 64, 0, 0);
        }
    },
    /** Two descriptors whose next fields point at each other. */
    NEXT_LOOP(Reason.DESCRIPTOR_LOOP) {
        @Override
        void write(RawRingWriter w, int d, long buffer) {
            w.splitDescriptor(d, buffer, 16, RawRingWriter.F_NEXT, d + 1);
            w.splitDescriptor(d + 1, buffer + 16, 16, RawRingWriter.F_NEXT, d);
        }
    },
    /** A next field beyond the descriptor table. */
    NEXT_OUT_OF_RANGE(Reason.NEXT_OUT_OF_RANGE) {
        @Override
        void write(RawRingWriter w, int d, long buffer) {
            w.splitDescriptor(d, buffer, 16, RawRingWriter.F_NEXT, w.config().size());
        }
    },
    /** A device-writable descriptor followed by a device-readable one. */
    READABLE_AFTER_WRITABLE(Reason.READABLE_AFTER_WRITABLE) {
        @Override
        void write(RawRingWriter w, int d, long buffer) {
            w.splitDescriptor(d, buffer, 16, RawRingWriter.F_WRITE | RawRingWriter.F_NEXT, d + 1);
            w.splitDescriptor(d + 1, buffer + 16, 16, 0, 0);
        }
    },
    /** A buffer whose address plus length wraps past 2^64. */
    ADDRESS_WRAPS(Reason.ADDRESS_OVERFLOW) {
        @Override
        void write(RawRingWriter w, int d, long buffer) {
            w.splitDescriptor(d, -16L, 64, 0, 0);
        }
    },
    /** An avail entry naming a head beyond the descriptor table. */
    HEAD_OUT_OF_RANGE(Reason.HEAD_OUT_OF_RANGE) {
        @Override
        void write(RawRingWriter w, int d, long buffer) {
            // nothing to write: the head itself is the fault
        }

        @Override
        int head(RawRingWriter w, int d) {
            return w.config().size();
        }
    };

    /** The first descriptor the cases use; the ring needs at least this plus 2 entries. */
    public static final int FIRST_DESCRIPTOR = 0;

    private final Reason expected;

    HostileChain(Reason expected) {
        this.expected = expected;
    }

    /** The reason the runtime's device queue reports for this chain. */
    public Reason expected() {
        return expected;
    }

    /** Writes the chain (its buffers, when it has in-range ones, at guest address {@code buffer}) and publishes its head. */
    public void inject(RawRingWriter w, long buffer) {
        if (w.config().size() < FIRST_DESCRIPTOR + 2) {
            throw new IllegalArgumentException("hostile chains need a queue of at least " + (FIRST_DESCRIPTOR + 2));
        }
        write(w, FIRST_DESCRIPTOR, buffer);
        w.splitPublish(head(w, FIRST_DESCRIPTOR));
    }

    abstract void write(RawRingWriter w, int d, long buffer);

    int head(RawRingWriter w, int d) {
        return d;
    }
}
