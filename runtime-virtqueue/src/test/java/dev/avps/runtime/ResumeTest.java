package dev.avps.runtime;

import static dev.avps.runtime.VirtioFeatures.EVENT_IDX;
import static dev.avps.runtime.VirtioFeatures.RING_PACKED;
import static dev.avps.runtime.VirtioFeatures.VERSION_1;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A device queue rebuilt at {@link DeviceQueue#resumePosition} (a backend that reconnects to a
 * running driver) carries on where the old one stopped: completed chains are not seen again, a
 * chain the old one held without completing is offered again, across many wrap-arounds.
 */
class ResumeTest {

    static LongStream featureSets() {
        return LongStream.of(VERSION_1, VERSION_1 | EVENT_IDX, VERSION_1 | RING_PACKED,
                VERSION_1 | RING_PACKED | EVENT_IDX);
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void aRebuiltQueueContinuesAndReoffersWhatWasHeld(long features) throws Exception {
        Fixture f = new Fixture(features, 16);
        DriverQueue drv = f.driver();
        DeviceQueue dev = f.device();
        DescriptorChain chain = dev.newChain();
        Completion done = new Completion();
        long next = 0;
        long expectedCompletions = 0;
        // 11 generations of device queues, 5 two-descriptor requests each: 110 descriptors, so
        // the resume positions fall all around a 16-entry ring, across several wraps.
        for (int generation = 0; generation < 11; generation++) {
            for (int i = 0; i < 5; i++) {
                long at = Fixture.DATA + (next % 8) * 16; // each in-flight request has its own buffer
                f.memory.writeLong(at, next);
                assertTrue(drv.addOut(at, 8).addIn(Fixture.DATA + 0x1000, 8).submit(next) >= 0);
                next++;
            }
            // Complete four, hold the fifth (a parked receive buffer), then "disconnect".
            for (int i = 0; i < 4; i++) {
                assertTrue(dev.pop(chain));
                assertEquals(expectedCompletions, chain.readLongLE(0), "chains arrive in order, none skipped");
                dev.addUsed(chain, 0);
                expectedCompletions++;
            }
            assertTrue(dev.pop(chain), "generation " + generation + ": the fifth is popped and held");
            dev.flushUsed();
            for (int i = 0; i < 4; i++) {
                assertTrue(drv.pollUsed(done));
            }
            int position = dev.resumePosition();
            dev = Virtqueues.device(f.memory, f.config, features, position);
            chain = dev.newChain();
            assertTrue(dev.pop(chain), "generation " + generation + ": the held chain is offered again");
            assertEquals(expectedCompletions, chain.readLongLE(0));
            dev.push(chain, 0);
            expectedCompletions++;
            assertTrue(drv.pollUsed(done));
            assertFalse(dev.pop(chain), "and nothing else was pending");
            assertFalse(drv.pollUsed(done));
        }
        assertEquals(55, expectedCompletions);
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void aPositionPastTheRingIsRefused(long features) {
        Fixture f = new Fixture(features, 8);
        if (f.packed()) {
            VirtqueueException e = assertThrows(VirtqueueException.class,
                    () -> Virtqueues.device(f.memory, f.config, features, 9 | 9 << 16));
            assertEquals(VirtqueueException.Reason.BAD_RING_LAYOUT, e.reason());
        } else {
            // Any 16-bit index is a valid split position; it only says where the driver is.
            assertDoesNotThrow(() -> Virtqueues.device(f.memory, f.config, features, 12345));
        }
    }
}
