package dev.avps.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;
import dev.avps.runtime.os.Linux;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest region larger than 4 GiB, as a q35 guest with 8 GiB of RAM hands over (about 6 GiB above
 * 4 GiB in one region): a sparse 5 GiB memfd, of which only the few pages the queue and its buffers
 * touch are ever allocated. The queue's rings and buffers sit past the 4 GiB offset in the region,
 * where an int offset would have wrapped.
 */
class LargeRegionTest {
    private static final long GIB = 1L << 30;
    private static final long REGION = 5 * GIB;
    /** Where q35 puts RAM above the 32-bit PCI hole. */
    private static final long GUEST_BASE = 4 * GIB;
    /** Rings at 4.5 GiB into the region, buffers at 4.75 GiB: offsets above 2^32. */
    private static final long RINGS = GUEST_BASE + 4 * GIB + GIB / 2;
    private static final long DATA = GUEST_BASE + 4 * GIB + 3 * GIB / 4;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void queueRunsPastFourGibInOneRegion(boolean packed) throws Exception {
        long features = VirtioFeatures.VERSION_1 | (packed ? VirtioFeatures.RING_PACKED : 0);
        int fd = Linux.memfdCreate("avps-large-region", Linux.MFD_CLOEXEC);
        try (Arena arena = Arena.ofShared()) {
            Linux.ftruncate(fd, REGION);
            GuestMemory mem = new GuestMemory(MemoryRegion.of(GUEST_BASE, Linux.mapShared(fd, 0, REGION, arena)));
            assertEquals(REGION, mem.region(0).size());

            QueueConfig cfg = QueueConfig.layout(features, 64, RINGS, 0);
            DriverQueue drv = Virtqueues.driver(mem, cfg, features);
            DeviceQueue dev = Virtqueues.device(mem, cfg, features);
            DescriptorChain c = dev.newChain();
            Completion done = new Completion();
            byte[] request = "read sector 9".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 200; i++) {
                long req = DATA + 4096L * (i % 8);
                long resp = req + 2048;
                mem.write(req, request, 0, request.length);
                mem.writeInt(req + request.length, i);
                assertTrue(drv.addOut(req, request.length + 4).addIn(resp, 8).submit(i) >= 0);
                assertTrue(dev.pop(c));
                assertEquals(req, c.readableAddress(0));
                byte[] got = new byte[request.length];
                c.copyFromReadable(0, got, 0, got.length);
                assertArrayEquals(request, got);
                // A buffer view of memory past 4 GiB into the region, as blk's file I/O uses it.
                ByteBuffer view = c.readableView(0);
                assertEquals(i, view.getInt(request.length));
                c.writeLongLE(0, 0x5a5a_0000_0000L + i);
                dev.push(c, 8);
                assertTrue(drv.pollUsed(done));
                assertEquals(i, done.cookie());
                assertEquals(8, done.length());
                assertEquals(0x5a5a_0000_0000L + i, mem.readLong(resp));
            }

            // The bytes are in the memfd at the file offset matching the guest address, read here
            // through an independent FileChannel mapping of the same memfd (also over 4 GiB long).
            try (FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                MemoryRegion second = MemoryRegion.mapped(GUEST_BASE, ch, 0, REGION, arena);
                GuestMemory again = new GuestMemory(second);
                long lastResp = DATA + 4096L * (199 % 8) + 2048;
                assertEquals(0x5a5a_0000_0000L + 199, again.readLong(lastResp));
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(b, lastResp - GUEST_BASE);
                assertEquals(0x5a5a_0000_0000L + 199, b.getLong(0));
            }
        } finally {
            Linux.close(fd);
        }
    }
}
