package dev.avps.runtime;

import static dev.avps.runtime.VirtioFeatures.EVENT_IDX;
import static dev.avps.runtime.VirtioFeatures.INDIRECT_DESC;
import static dev.avps.runtime.VirtioFeatures.IN_ORDER;
import static dev.avps.runtime.VirtioFeatures.RING_PACKED;
import static dev.avps.runtime.VirtioFeatures.VERSION_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.transport.LoopbackTransport;
import java.nio.ByteBuffer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {
    static LongStream featureSets() {
        long[] base = {VERSION_1, VERSION_1 | RING_PACKED};
        long[] extras = {0, EVENT_IDX, INDIRECT_DESC, IN_ORDER, EVENT_IDX | INDIRECT_DESC | IN_ORDER};
        return LongStream.of(base).flatMap(b -> LongStream.of(extras).map(e -> b | e));
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void requestsAndResponsesSurviveManyWrapArounds(long features) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, 16, 4, 1 << 16, false);
        GuestMemory mem = t.memory();
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        DescriptorChain chain = dev.newChain();
        Completion done = new Completion();
        long req = t.dataBase();
        long hdr2 = req + 8;
        long resp = req + 64;
        for (int i = 0; i < 70_000; i++) {
            mem.writeLong(req, i);
            mem.writeInt(hdr2, ~i);
            // Header split over two readable segments; response split over two writable ones.
            int id = drv.addOut(req, 8).addOut(hdr2, 4).addIn(resp, 3).addIn(resp + 3, 5).submit(i * 7L);
            assertTrue(id >= 0);
            assertTrue(dev.pop(chain));
            assertEquals(2, chain.readableCount());
            assertEquals(2, chain.writableCount());
            assertEquals(12, chain.readableBytes());
            assertEquals(8, chain.writableBytes());
            assertEquals(id, chain.id());
            assertEquals(i, chain.readLongLE(0));
            assertEquals(~i, chain.readIntLE(8));
            assertEquals((int) ((long) i >>> 32 | (long) ~i << 32), chain.readIntLE(4));
            chain.writeIntLE(1, i);
            chain.writeByte(chain.writableBytes() - 1, (byte) 0x5a);
            dev.push(chain, 8);
            assertFalse(dev.pop(chain));
            assertTrue(drv.pollUsed(done));
            assertEquals(i * 7L, done.cookie());
            assertEquals(8, done.length());
            assertEquals(id, done.id());
            assertEquals(i, mem.readInt(resp + 1));
            assertEquals((byte) 0x5a, mem.readByte(resp + 7));
            assertFalse(drv.pollUsed(done));
        }
        assertEquals(0, drv.outstanding());
        assertEquals(QueueState.READY, dev.state());
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void fillsTheRingThenDrainsIt(long features) throws Exception {
        LoopbackTransport t = LoopbackTransport.create(features, 8, 4, 1 << 16, true);
        DriverQueue drv = t.driver();
        DeviceQueue dev = t.device();
        boolean indirect = VirtioFeatures.has(features, INDIRECT_DESC);
        int perChain = indirect ? 1 : 2;
        int accepted = 0;
        while (drv.addOut(t.dataBase() + 32L * accepted, 16).addIn(t.dataBase() + 32L * accepted + 16, 16)
                .submit(accepted) >= 0) {
            accepted++;
        }
        drv.clearStaged();
        assertEquals(8 / perChain, accepted);
        DescriptorChain[] chains = new DescriptorChain[accepted];
        for (int i = 0; i < accepted; i++) {
            chains[i] = dev.newChain();
            assertTrue(dev.pop(chains[i]));
            assertEquals(t.dataBase() + 32L * i, chains[i].readableAddress(0));
        }
        boolean inOrder = VirtioFeatures.has(features, IN_ORDER);
        for (int i = 0; i < accepted; i++) {
            DescriptorChain c = chains[inOrder ? i : accepted - 1 - i];
            dev.addUsed(c, 16);
        }
        dev.flushUsed();
        Completion done = new Completion();
        for (int i = 0; i < accepted; i++) {
            assertTrue(drv.pollUsed(done));
            assertEquals(inOrder ? i : accepted - 1 - i, done.cookie());
        }
        assertFalse(drv.pollUsed(done));
        assertTrue(drv.addOut(t.dataBase(), 1).submit(99) >= 0);
    }

    @Test
    void copyHelpersWorkAcrossSegmentsAndRegions() throws Exception {
        Fixture f = new Fixture(VERSION_1, 8);
        DriverQueue drv = f.driver();
        DeviceQueue dev = f.device();
        byte[] payload = new byte[40];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i + 1);
        }
        f.memory.write(Fixture.DATA, payload, 0, 10);
        f.memory.write(Fixture.SECOND, payload, 10, 30);
        drv.addOut(Fixture.DATA, 10).addOut(Fixture.SECOND, 30).addIn(Fixture.THIRD, 4).addIn(Fixture.DATA + 100, 6)
                .submit(1);
        DescriptorChain c = dev.newChain();
        assertTrue(dev.pop(c));
        byte[] all = new byte[50];
        assertEquals(40, c.copyFromReadable(0, all, 0, 50));
        assertArrayEquals(payload, java.util.Arrays.copyOf(all, 40));
        ByteBuffer bb = ByteBuffer.allocate(8);
        assertEquals(8, c.copyFromReadable(6, bb));
        assertEquals(7, bb.get(0));
        assertEquals(14, bb.get(7));
        assertEquals(0, c.copyFromReadable(40, all, 0, 1));
        assertEquals(10, c.copyToWritable(0, payload, 0, 40));
        assertEquals(payload[3], f.memory.readByte(Fixture.THIRD + 3));
        assertEquals(payload[4], f.memory.readByte(Fixture.DATA + 100));
        assertEquals(2, c.copyToWritable(8, ByteBuffer.wrap(new byte[] {9, 8, 7})));
        assertEquals(8, f.memory.readByte(Fixture.DATA + 105));
        assertThrows(IndexOutOfBoundsException.class, () -> c.readIntLE(37));
        assertThrows(IndexOutOfBoundsException.class, () -> c.writeByte(10, (byte) 0));
        assertEquals(Fixture.SECOND, c.readableAddress(1));
        assertEquals(6, c.writableLength(1));
        assertThrows(IndexOutOfBoundsException.class, () -> c.writableAddress(2));
    }

    @ParameterizedTest
    @MethodSource("featureSets")
    void worksOverAFileMappedGuest(long features, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("guest"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            GuestMemory mem = new GuestMemory(dev.avps.runtime.memory.MemoryRegion.mapped(0x100000, ch, 0, 1 << 16));
            QueueConfig cfg = QueueConfig.layout(features, 32, 0x100000, 4);
            DriverQueue drv = Virtqueues.driver(mem, cfg, features);
            DeviceQueue dev = Virtqueues.device(mem, cfg, features);
            DescriptorChain c = dev.newChain();
            Completion done = new Completion();
            long data = 0x108000;
            for (int i = 0; i < 100; i++) {
                mem.writeInt(data, i);
                assertTrue(drv.addOut(data, 4).addIn(data + 4, 4).submit(i) >= 0);
                assertTrue(dev.pop(c));
                c.writeIntLE(0, c.readIntLE(0) * 3);
                dev.push(c, 4);
                assertTrue(drv.pollUsed(done));
                assertEquals(i, done.cookie());
                assertEquals(3 * i, mem.readInt(data + 4));
            }
        }
    }

    @Test
    void zeroLengthDescriptorsAreSkipped() throws Exception {
        Fixture f = new Fixture(VERSION_1 | RING_PACKED, 8);
        DriverQueue drv = f.driver();
        DeviceQueue dev = f.device();
        drv.addOut(0x7777_0000L, 0).addOut(Fixture.DATA, 4).addIn(Fixture.DATA + 8, 4).submit(1);
        DescriptorChain c = dev.newChain();
        assertTrue(dev.pop(c));
        assertEquals(1, c.readableCount());
        assertEquals(4, c.readableBytes());
    }

    @Test
    void pushingAChainTwiceOrFromAnotherQueueIsRejected() throws Exception {
        LoopbackTransport a = LoopbackTransport.create(VERSION_1, 8, 0, 4096, false);
        LoopbackTransport b = LoopbackTransport.create(VERSION_1, 8, 0, 4096, false);
        a.driver().addOut(a.dataBase(), 4).submit(1);
        DescriptorChain c = a.device().newChain();
        assertTrue(a.device().pop(c));
        a.driver().addOut(a.dataBase(), 4).submit(2);
        assertThrows(IllegalStateException.class, () -> a.device().pop(c), "would leak the first buffer");
        assertThrows(IllegalStateException.class, () -> b.device().push(c, 0));
        a.device().push(c, 0);
        assertThrows(IllegalStateException.class, () -> a.device().push(c, 0));
    }

    @Test
    void inOrderDeviceRejectsOutOfOrderPush() throws Exception {
        LoopbackTransport t = LoopbackTransport.create(VERSION_1 | IN_ORDER | RING_PACKED, 8, 0, 4096, false);
        t.driver().addOut(t.dataBase(), 4).submit(1);
        t.driver().addOut(t.dataBase(), 4).submit(2);
        DescriptorChain first = t.device().newChain();
        DescriptorChain second = t.device().newChain();
        assertTrue(t.device().pop(first));
        assertTrue(t.device().pop(second));
        assertThrows(IllegalStateException.class, () -> t.device().push(second, 0));
        t.device().push(first, 0);
        t.device().push(second, 0);
        assertEquals(QueueState.READY, t.device().state());
    }
}
