package dev.avps.runtime;

import static dev.avps.runtime.VirtioFeatures.IN_ORDER;
import static dev.avps.runtime.VirtioFeatures.RING_PACKED;
import static dev.avps.runtime.VirtioFeatures.VERSION_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.transport.LoopbackTransport;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hot-path shortcuts against the moments they must give way: the driver writes staged buffers
 * straight into the ring, so a chain dropped, reordered or overtaken by a reclaim while staged
 * must still reach the device exactly as staged (or not at all); the device parses chains of up
 * to four direct descriptors on a straight-line path, so a fifth descriptor must still arrive.
 */
class ShortcutPathTest {
    static LongStream featureSets() {
        return LongStream.of(VERSION_1, VERSION_1 | IN_ORDER, VERSION_1 | RING_PACKED, VERSION_1 | RING_PACKED | IN_ORDER);
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void aDroppedChainLeavesNothingTheDeviceCouldTake(long features) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, 8, 0, 1 << 16, false);
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        DescriptorChain c = dev.newChain();
        long data = t.dataBase();
        // Five buffers written through, then dropped; then a one-buffer chain in the same place.
        drv.addOut(data, 8).addOut(data + 8, 8).addIn(data + 16, 8).addIn(data + 24, 8).addIn(data + 32, 8);
        drv.clearStaged();
        int id = drv.addIn(data + 64, 4).submit(1);
        assertTrue(id >= 0);
        assertTrue(dev.pop(c));
        assertEquals(0, c.readableCount());
        assertEquals(4, c.writableBytes());
        assertFalse(dev.pop(dev.newChain()), "the dropped chain's slots must not read as a chain");
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void aChainThatDidNotFitIsDroppedCleanly(long features) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, 4, 0, 1 << 16, false);
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        DescriptorChain c = dev.newChain();
        long data = t.dataBase();
        assertTrue(drv.addOut(data, 8).addIn(data + 8, 8).submit(1) >= 0);
        // Three buffers written through fill the ring; the fourth cannot be placed.
        assertEquals(-1, drv.addOut(data, 1).addOut(data + 1, 1).addIn(data + 2, 1).addIn(data + 3, 1).submit(2));
        drv.clearStaged();
        assertTrue(dev.pop(c));
        assertEquals(1, c.readableCount());
        assertEquals(1, c.writableCount());
        assertFalse(dev.pop(dev.newChain()), "only the submitted chain is available");
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void aReadableBufferAfterWritableOnesStillComesFirst(long features) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, 8, 0, 1 << 16, false);
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        DescriptorChain c = dev.newChain();
        long data = t.dataBase();
        assertTrue(drv.addIn(data + 100, 5).addOut(data, 3).submit(7) >= 0);
        assertTrue(dev.pop(c));
        assertEquals(1, c.readableCount());
        assertEquals(3, c.readableLength(0));
        assertEquals(data, c.readableAddress(0));
        assertEquals(1, c.writableCount());
        assertEquals(data + 100, c.writableAddress(0));
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void aReclaimBetweenStagingAndSubmitKeepsBothChainsApart(long features) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, 8, 0, 1 << 16, false);
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        DescriptorChain c = dev.newChain();
        Completion done = new Completion();
        long data = t.dataBase();
        assertTrue(drv.addOut(data, 8).addIn(data + 8, 8).submit(1) >= 0);
        assertTrue(dev.pop(c));
        dev.push(c, 8);
        // Staged (and written through) before the reclaim frees the first chain's descriptors.
        drv.addOut(data + 32, 4).addIn(data + 40, 6);
        assertTrue(drv.pollUsed(done));
        assertEquals(1, done.cookie());
        drv.addIn(data + 48, 2);
        int id = drv.submit(2);
        assertTrue(id >= 0);
        assertTrue(dev.pop(c));
        assertEquals(id, c.id());
        assertEquals(1, c.readableCount());
        assertEquals(data + 32, c.readableAddress(0));
        assertEquals(2, c.writableCount());
        assertEquals(data + 40, c.writableAddress(0));
        assertEquals(data + 48, c.writableAddress(1));
        dev.push(c, 8);
        assertTrue(drv.pollUsed(done));
        assertEquals(2, done.cookie());
        assertEquals(8, done.length());
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void chainsLongerThanTheStraightLinePathArriveWhole(long features) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, 16, 0, 1 << 16, false);
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        DescriptorChain c = dev.newChain();
        long data = t.dataBase();
        for (int n = 1; n <= 7; n++) {
            for (int i = 0; i < n; i++) {
                if (i < n / 2) {
                    drv.addOut(data + 16L * i, i + 1);
                } else {
                    drv.addIn(data + 16L * i, i + 1);
                }
            }
            assertTrue(drv.submit(n) >= 0);
            assertTrue(dev.pop(c));
            assertEquals(n / 2, c.readableCount());
            assertEquals(n - n / 2, c.writableCount());
            for (int i = 0; i < n; i++) {
                long addr = i < n / 2 ? c.readableAddress(i) : c.writableAddress(i - n / 2);
                int len = i < n / 2 ? c.readableLength(i) : c.writableLength(i - n / 2);
                assertEquals(data + 16L * i, addr);
                assertEquals(i + 1, len);
            }
            dev.push(c, 0);
            assertFalse(dev.pop(c));
            Completion done = new Completion();
            assertTrue(drv.pollUsed(done));
            assertEquals(n, done.cookie());
        }
    }
}
