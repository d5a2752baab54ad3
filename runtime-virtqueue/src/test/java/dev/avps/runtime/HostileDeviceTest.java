package dev.avps.runtime;

import static dev.avps.runtime.VirtioFeatures.IN_ORDER;
import static dev.avps.runtime.VirtioFeatures.RING_PACKED;
import static dev.avps.runtime.VirtioFeatures.VERSION_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.avps.runtime.VirtqueueException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The driver end validates what a device writes back. */
class HostileDeviceTest {
    private static final long D = Fixture.DATA;

    private static VirtqueueException expect(DriverQueue q, Reason reason) {
        Completion c = new Completion();
        VirtqueueException e = assertThrows(VirtqueueException.class, () -> q.pollUsed(c));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(QueueState.NEEDS_RESET, q.state());
        assertSame(e, assertThrows(VirtqueueException.class, () -> q.submit(1)));
        return e;
    }

    private static void complete(Fixture f, int id, int len, int flags) {
        if (f.packed()) {
            f.raw.packedUsed(0, id, len, flags, true);
        } else {
            f.raw.splitUsed(0, id, len, 1);
        }
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void unknownIdIsRejected(boolean packed) throws Exception {
        Fixture f = new Fixture(VERSION_1 | (packed ? RING_PACKED : 0), 8);
        DriverQueue q = f.driver();
        int id = q.addOut(D, 16).addIn(D + 16, 16).submit(42);
        complete(f, id + 1, 0, 0);
        assertEquals(id + 1, expect(q, Reason.USED_ID_INVALID).descriptorIndex());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void lengthBeyondPostedWritableSpace(boolean packed) throws Exception {
        Fixture f = new Fixture(VERSION_1 | (packed ? RING_PACKED : 0), 8);
        DriverQueue q = f.driver();
        int id = q.addOut(D, 16).addIn(D + 16, 16).submit(42);
        complete(f, id, 17, RawRing.WRITE);
        assertEquals(17, expect(q, Reason.USED_LENGTH_TOO_LARGE).length());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void outOfOrderCompletionUnderInOrder(boolean packed) throws Exception {
        Fixture f = new Fixture(VERSION_1 | IN_ORDER | (packed ? RING_PACKED : 0), 8);
        DriverQueue q = f.driver();
        q.addOut(D, 16).submit(1);
        int second = q.addOut(D + 16, 16).submit(2);
        complete(f, second, 0, 0);
        expect(q, Reason.USED_OUT_OF_ORDER);
    }

    @Test
    void splitUsedIndexJump() throws Exception {
        Fixture f = new Fixture(VERSION_1, 8);
        DriverQueue q = f.driver();
        int id = q.addOut(D, 16).submit(42);
        f.raw.splitUsed(0, id, 0, 3);
        expect(q, Reason.USED_INDEX_JUMP);
    }
}
