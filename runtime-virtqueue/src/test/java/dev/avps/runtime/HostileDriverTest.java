package dev.avps.runtime;

import static dev.avps.runtime.RawRing.INDIRECT;
import static dev.avps.runtime.RawRing.NEXT;
import static dev.avps.runtime.RawRing.WRITE;
import static dev.avps.runtime.VirtioFeatures.EVENT_IDX;
import static dev.avps.runtime.VirtioFeatures.INDIRECT_DESC;
import static dev.avps.runtime.VirtioFeatures.RING_PACKED;
import static dev.avps.runtime.VirtioFeatures.VERSION_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.VirtqueueException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per protocol violation; each must give a typed error and leave the queue in NEEDS_RESET. */
class HostileDriverTest {
    private static final int SIZE = 8;
    private static final long T = Fixture.INDIRECT_TABLE;
    private static final long D = Fixture.DATA;

    private static Fixture fixture(boolean packed, long extra) {
        return new Fixture(VERSION_1 | extra | (packed ? RING_PACKED : 0), SIZE);
    }

    /** Makes one chain available at the start of the ring: descriptors {addr, len, flags}. */
    private static void offer(Fixture f, long[]... descs) {
        for (int i = 0; i < descs.length; i++) {
            long[] d = descs[i];
            if (f.packed()) {
                f.raw.packedDesc(i, d[0], (int) d[1], 5, (int) d[2], true);
            } else {
                f.raw.splitDesc(i, d[0], (int) d[1], (int) d[2], i + 1);
            }
        }
        if (!f.packed()) {
            f.raw.splitAvail(0);
        }
    }

    /** Fills an indirect table in the format of the fixture's ring. */
    private static void table(Fixture f, long[]... entries) {
        for (int i = 0; i < entries.length; i++) {
            long[] e = entries[i];
            if (f.packed()) {
                f.raw.packedTableEntry(T, i, e[0], (int) e[1], (int) e[2]);
            } else {
                f.raw.splitDesc(T, i, e[0], (int) e[1], (int) e[2], i + 1);
            }
        }
    }

    private static long[] d(long addr, long len, int flags) {
        return new long[] {addr, len, flags};
    }

    /** Pops, expects the given reason, and checks the queue stays failed with the same error. */
    private static VirtqueueException expect(DeviceQueue q, Reason reason) {
        DescriptorChain chain = q.newChain();
        VirtqueueException e = assertThrows(VirtqueueException.class, () -> q.pop(chain));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(QueueState.NEEDS_RESET, q.state());
        assertSame(e, q.failure());
        assertSame(e, assertThrows(VirtqueueException.class, () -> q.pop(chain)));
        assertFalse(q.needsNotification());
        return e;
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void readableAfterWritable(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        offer(f, d(D, 16, WRITE | NEXT), d(D + 16, 16, 0));
        DeviceQueue q = f.device();
        VirtqueueException e = expect(q, Reason.READABLE_AFTER_WRITABLE);
        assertEquals(1, e.descriptorIndex());
        assertEquals(D + 16, e.address());
        assertTrue(e.getMessage().contains("0x" + Long.toHexString(D + 16)), e.getMessage());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void addressPlusLengthOverflows(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        offer(f, d(-16L, 32, 0));
        VirtqueueException e = expect(f.device(), Reason.ADDRESS_OVERFLOW);
        assertEquals(-16L, e.address());
        assertEquals(32, e.length());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void bufferOutsideEveryRegion(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        offer(f, d(0x50000, 16, 0));
        assertEquals(0x50000, expect(f.device(), Reason.ADDRESS_OUT_OF_RANGE).address());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void bufferRunningIntoAHole(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        offer(f, d(0x10ff8, 16, WRITE));
        expect(f.device(), Reason.CROSSES_REGION);
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void bufferSpanningAdjacentRegionsIsRejected(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        offer(f, d(Fixture.THIRD - 8, 16, 0));
        VirtqueueException e = expect(f.device(), Reason.CROSSES_REGION);
        assertTrue(e.getMessage().contains("past the end of its guest memory region"), e.getMessage());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void indirectWithoutNegotiation(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        table(f, d(D, 16, 0), d(D + 16, 16, WRITE));
        offer(f, d(T, 32, INDIRECT));
        expect(f.device(), Reason.INDIRECT_NOT_NEGOTIATED);
    }

    @ParameterizedTest(name = "packed={0}, length={1}")
    @org.junit.jupiter.params.provider.CsvSource({"false,24", "true,24", "false,0", "true,0", "false,17", "true,17"})
    void indirectTableLengthNotMultipleOf16(boolean packed, int length) throws Exception {
        Fixture f = fixture(packed, INDIRECT_DESC);
        table(f, d(D, 16, 0), d(D + 16, 16, WRITE));
        offer(f, d(T, length, INDIRECT));
        assertEquals(length, expect(f.device(), Reason.INDIRECT_BAD_LENGTH).length());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void indirectWithNextFlag(boolean packed) throws Exception {
        Fixture f = fixture(packed, INDIRECT_DESC);
        table(f, d(D, 16, 0), d(D + 16, 16, WRITE));
        offer(f, d(T, 32, INDIRECT | NEXT), d(D + 64, 16, WRITE));
        assertEquals(0, expect(f.device(), Reason.INDIRECT_WITH_NEXT).descriptorIndex());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void indirectInsideIndirectTable(boolean packed) throws Exception {
        Fixture f = fixture(packed, INDIRECT_DESC);
        table(f, d(D, 16, NEXT), d(T, 32, INDIRECT));
        offer(f, d(T, 32, INDIRECT));
        assertEquals(1, expect(f.device(), Reason.INDIRECT_NESTED).descriptorIndex());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void indirectTableOutsideMemory(boolean packed) throws Exception {
        Fixture f = fixture(packed, INDIRECT_DESC);
        offer(f, d(0x50000, 32, INDIRECT));
        expect(f.device(), Reason.ADDRESS_OUT_OF_RANGE);
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void indirectChainLongerThanQueueSize(boolean packed) throws Exception {
        Fixture f = fixture(packed, INDIRECT_DESC);
        long[][] entries = new long[SIZE + 1][];
        for (int i = 0; i <= SIZE; i++) {
            entries[i] = d(D + 16L * i, 16, i < SIZE ? NEXT : 0);
        }
        table(f, entries);
        offer(f, d(T, 16L * (SIZE + 1), INDIRECT));
        expect(f.device(), Reason.CHAIN_TOO_LONG);
    }

    @Test
    void packedChainLongerThanQueueSize() throws Exception {
        Fixture f = fixture(true, 0);
        long[][] descs = new long[SIZE][];
        for (int i = 0; i < SIZE; i++) {
            descs[i] = d(D + 16L * i, 16, NEXT);
        }
        offer(f, descs);
        expect(f.device(), Reason.CHAIN_TOO_LONG);
    }

    @Test
    void splitDescriptorLoop() throws Exception {
        Fixture f = fixture(false, 0);
        f.raw.splitDesc(0, D, 16, NEXT, 1);
        f.raw.splitDesc(1, D + 16, 16, NEXT, 0);
        f.raw.splitAvail(0);
        expect(f.device(), Reason.DESCRIPTOR_LOOP);
    }

    @Test
    void splitSelfLoopWithZeroLengthDescriptor() throws Exception {
        Fixture f = fixture(false, 0);
        f.raw.splitDesc(3, D, 0, NEXT, 3);
        f.raw.splitAvail(3);
        assertEquals(3, expect(f.device(), Reason.DESCRIPTOR_LOOP).descriptorIndex());
    }

    @Test
    void splitLoopInsideIndirectTable() throws Exception {
        Fixture f = fixture(false, INDIRECT_DESC);
        f.raw.splitDesc(T, 0, D, 16, NEXT, 1);
        f.raw.splitDesc(T, 1, D + 16, 16, NEXT, 0);
        offer(f, d(T, 32, INDIRECT));
        VirtqueueException e = expect(f.device(), Reason.DESCRIPTOR_LOOP);
        assertTrue(e.getMessage().contains("indirect table 0x" + Long.toHexString(T)), e.getMessage());
    }

    @Test
    void splitNextOutOfRange() throws Exception {
        Fixture f = fixture(false, 0);
        f.raw.splitDesc(0, D, 16, NEXT, SIZE);
        f.raw.splitAvail(0);
        VirtqueueException e = expect(f.device(), Reason.NEXT_OUT_OF_RANGE);
        assertTrue(e.getMessage().contains("next=" + SIZE), e.getMessage());
    }

    @Test
    void splitNextOutOfRangeInsideIndirectTable() throws Exception {
        Fixture f = fixture(false, INDIRECT_DESC);
        f.raw.splitDesc(T, 0, D, 16, NEXT, 2);
        f.raw.splitDesc(T, 1, D + 16, 16, 0, 0);
        offer(f, d(T, 32, INDIRECT));
        expect(f.device(), Reason.NEXT_OUT_OF_RANGE);
    }

    @Test
    void splitHeadOutOfRange() throws Exception {
        Fixture f = fixture(false, 0);
        f.raw.splitAvail(SIZE + 3);
        assertEquals(SIZE + 3, expect(f.device(), Reason.HEAD_OUT_OF_RANGE).descriptorIndex());
    }

    @Test
    void splitAvailIndexJump() throws Exception {
        Fixture f = fixture(false, 0);
        f.raw.splitAvailIdx(SIZE + 1);
        assertEquals(SIZE + 1, expect(f.device(), Reason.AVAIL_INDEX_JUMP).length());
    }

    @Test
    void packedMoreInFlightThanRingSize() throws Exception {
        Fixture f = fixture(true, 0);
        for (int i = 0; i < SIZE; i++) {
            f.raw.packedDesc(i, D + 16L * i, 16, i, 0, true);
        }
        DeviceQueue q = f.device();
        DescriptorChain[] held = new DescriptorChain[SIZE];
        for (int i = 0; i < SIZE; i++) {
            held[i] = q.newChain();
            assertTrue(q.pop(held[i]));
        }
        // Reuse slot 0 for the next lap although nothing was completed.
        f.raw.packedDesc(0, D, 16, 0, 0, false);
        expect(q, Reason.AVAIL_INDEX_JUMP);
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void usedLengthLargerThanWritableSpace(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        offer(f, d(D, 16, NEXT), d(D + 16, 16, WRITE | NEXT), d(D + 32, 8, WRITE));
        DeviceQueue q = f.device();
        DescriptorChain c = q.newChain();
        assertTrue(q.pop(c));
        assertEquals(24, c.writableBytes());
        VirtqueueException e = assertThrows(VirtqueueException.class, () -> q.addUsed(c, 25));
        assertEquals(Reason.USED_LENGTH_TOO_LARGE, e.reason());
        assertEquals(QueueState.NEEDS_RESET, q.state());
        assertSame(e, assertThrows(VirtqueueException.class, () -> q.addUsed(c, 1)));
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void wellFormedChainStillWorksAfterRejectedLengthCheck(boolean packed) throws Exception {
        Fixture f = fixture(packed, 0);
        offer(f, d(D, 16, NEXT), d(D + 16, 24, WRITE));
        DeviceQueue q = f.device();
        DescriptorChain c = q.newChain();
        assertTrue(q.pop(c));
        q.push(c, 24);
        assertEquals(QueueState.READY, q.state());
        assertNull(q.failure());
        assertFalse(q.pop(c));
    }

    @Test
    void badRingLayouts() {
        Fixture f = fixture(false, 0);
        assertEquals(Reason.BAD_RING_LAYOUT, assertThrows(VirtqueueException.class,
                () -> Virtqueues.device(f.memory, QueueConfig.of(8, 0x1008, 0x2000, 0x3000), VERSION_1)).reason());
        assertEquals(Reason.BAD_RING_LAYOUT, assertThrows(VirtqueueException.class,
                () -> Virtqueues.device(f.memory, QueueConfig.of(8, 0x1000, 0x2000, 0x50000), VERSION_1)).reason());
        assertEquals(Reason.BAD_RING_LAYOUT, assertThrows(VirtqueueException.class,
                () -> Virtqueues.device(f.memory, QueueConfig.of(6, 0x1000, 0x2000, 0x3000), VERSION_1)).reason());
        assertEquals(Reason.BAD_RING_LAYOUT, assertThrows(VirtqueueException.class,
                () -> Virtqueues.device(f.memory, QueueConfig.of(0, 0x1000, 0x2000, 0x3000), VERSION_1 | RING_PACKED))
                        .reason());
        // Packed rings need not be a power of two.
        assertTrue(assertDoesNotThrow(() -> Virtqueues.device(f.memory, QueueConfig.of(6, 0x1000, 0x2000, 0x3000),
                VERSION_1 | RING_PACKED | EVENT_IDX)).size() == 6);
    }

    private static DeviceQueue assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<DeviceQueue> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }
}
