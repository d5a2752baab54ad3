package dev.avps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;

/**
 * Shared oracle of the chain-parsing fuzzers: whatever bytes the driver areas hold, the device
 * either returns chains that lie inside guest memory or fails with a typed error, and it always
 * terminates.
 */
final class ChainOracle {
    static final long BASE = 0x1000;
    static final int SPAN = 0x4000;
    static final long SECOND = 0x5000;

    private ChainOracle() {
    }

    /**
     * @param ring bytes copied over the descriptor ring/table, avail ring and indirect area
     * @return how many chains were popped, and the failure reason if parsing stopped on one
     */
    static Outcome exercise(long features, int size, byte[] ring) {
        GuestMemory memory = new GuestMemory(MemoryRegion.heap(BASE, SPAN), MemoryRegion.direct(SECOND, 0x100));
        QueueConfig cfg = QueueConfig.layout(features, size, BASE, 0);
        memory.write(BASE, ring, 0, Math.min(ring.length, SPAN));
        DeviceQueue q;
        try {
            q = Virtqueues.device(memory, cfg, features);
        } catch (VirtqueueException e) {
            fail("layout is valid: " + e);
            return null;
        }
        DescriptorChain chain = q.newChain();
        int popped = 0;
        // Each pop either consumes ring state or fails; 4 laps bound any honest sequence.
        for (int i = 0; i < 4 * size + 4; i++) {
            try {
                if (!q.pop(chain)) {
                    break;
                }
            } catch (VirtqueueException e) {
                assertNotNull(e.reason());
                assertEquals(QueueState.NEEDS_RESET, q.state());
                assertSame(e, q.failure());
                return new Outcome(popped, e.reason());
            }
            popped++;
            check(memory, chain, size);
            try {
                // Complete it so packed rings keep having room; use the full writable length.
                q.push(chain, (int) Math.min(chain.writableBytes(), Integer.MAX_VALUE));
            } catch (VirtqueueException e) {
                fail("honest completion rejected: " + e);
            }
        }
        return new Outcome(popped, null);
    }

    static final class Outcome {
        final int popped;
        final VirtqueueException.Reason failure;

        Outcome(int popped, VirtqueueException.Reason failure) {
            this.popped = popped;
            this.failure = failure;
        }
    }

    private static void check(GuestMemory memory, DescriptorChain chain, int size) {
        assertTrue(chain.readableCount() + chain.writableCount() <= size, "chain longer than the queue");
        long r = 0;
        for (int i = 0; i < chain.readableCount(); i++) {
            assertTrue(memory.translate(chain.readableAddress(i), chain.readableLength(i)) >= 0);
            r += chain.readableLength(i);
        }
        long w = 0;
        for (int i = 0; i < chain.writableCount(); i++) {
            assertTrue(memory.translate(chain.writableAddress(i), chain.writableLength(i)) >= 0);
            w += chain.writableLength(i);
        }
        assertEquals(r, chain.readableBytes());
        assertEquals(w, chain.writableBytes());
        if (chain.readableBytes() > 0) {
            chain.readByte(chain.readableBytes() - 1);
        }
        if (chain.writableBytes() > 0) {
            chain.writeByte(chain.writableBytes() - 1, (byte) 1);
        }
    }
}
