package dev.avps.devices.balloon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.balloon.BalloonFeatures;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The balloon backend's page bookkeeping, its statistics and its refusals, over real chains. */
class BalloonDeviceTest {

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long buf = loop.data();

    BalloonDevice device(long target) {
        BalloonDevice d = new BalloonDevice(target);
        d.featuresNegotiated(d.features());
        return d;
    }

    /** The driver lists {@code pfns} on {@code queue} as one readable buffer of {@code length} bytes. */
    int pfnsIn(BalloonDevice d, int queue, int length, long... pfns) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(pfns.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long p : pfns) {
            b.putInt((int) p);
        }
        mem.write(buf, b.array(), 0, b.capacity());
        drv.addOut(buf, length).submit(1);
        return loop.serve(d, queue);
    }

    int pfns(BalloonDevice d, int queue, long... pfns) throws Exception {
        return pfnsIn(d, queue, pfns.length * 4, pfns);
    }

    /** Stages one statistics buffer of (tag, value) pairs, 10 bytes each, as Linux packs them. */
    void stats(long... tagValue) {
        ByteBuffer b = ByteBuffer.allocate(tagValue.length / 2 * 10).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tagValue.length; i += 2) {
            b.putShort((short) tagValue[i]).putLong(tagValue[i + 1]);
        }
        mem.write(buf, b.array(), 0, b.capacity());
        drv.addOut(buf, b.capacity());
    }

    @Test
    void offersStatisticsAndTellHostWithTheTargetInTheConfig() {
        BalloonDevice d = device(256);
        assertEquals(List.of("MUST_TELL_HOST", "STATS_VQ"), d.offeredFeatureNames());
        assertEquals(3, d.queueCount(), "inflateq, deflateq, statsq");
        byte[] cfg = new byte[8];
        d.readConfig(0, cfg);
        ByteBuffer c = ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(256, c.getInt(0), "num_pages");
        assertEquals(0, c.getInt(4), "actual before the driver writes it");
        assertThrows(IllegalArgumentException.class, () -> new BalloonDevice(-1));
        assertThrows(IllegalArgumentException.class, () -> new BalloonDevice(1L << 32));
    }

    @Test
    void aNewTargetChangesNumPagesAndNotifiesTheTransport() {
        BalloonDevice d = device(256);
        java.util.concurrent.atomic.AtomicInteger notified = new java.util.concurrent.atomic.AtomicInteger();
        d.target(100);
        assertEquals(100, d.targetPages(), "without a transport the change still lands in the config");
        d.onConfigChange(notified::incrementAndGet);
        d.target(512);
        assertEquals(512, d.targetPages());
        assertEquals(1, notified.get(), "the transport was told once");
        byte[] cfg = new byte[4];
        d.readConfig(0, cfg);
        assertEquals(512, ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN).getInt(), "num_pages as the driver reads it");
        assertThrows(IllegalArgumentException.class, () -> d.target(-1));
        assertThrows(IllegalArgumentException.class, () -> d.target(1L << 32));
        assertEquals(512, d.targetPages(), "a refused target changes nothing");
        assertEquals(1, notified.get(), "and announces nothing");
    }

    @Test
    void theDriverWritesActualButNotTheTarget() {
        BalloonDevice d = device(256);
        byte[] w = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(200).array();
        d.writeConfig(0, w);
        assertEquals(200, d.actual(), "actual is driver-writable");
        assertEquals(256, d.targetPages(), "num_pages is the device's");
        d.writeConfig(4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(256).array());
        assertEquals(256, d.actual());
    }

    @Test
    void inflatedPagesAreRecordedAndDeflatedOnesLeave() throws Exception {
        BalloonDevice d = device(8);
        assertEquals(0, pfns(d, BalloonDevice.Q_INFLATEQ, 10L, 11L, 12L, 0xfffffffeL), "nothing is written back");
        assertEquals(Set.of(10L, 11L, 12L, 0xfffffffeL), d.pages(), "PFNs are unsigned 32-bit");
        pfns(d, BalloonDevice.Q_INFLATEQ, 13L);
        assertEquals(5, d.pageCount());
        pfns(d, BalloonDevice.Q_DEFLATEQ, 11L, 0xfffffffeL);
        assertEquals(Set.of(10L, 12L, 13L), d.pages());
        pfns(d, BalloonDevice.Q_DEFLATEQ);
        assertEquals(3, d.pageCount(), "an empty list changes nothing");
        assertEquals(0, d.refusals(), d.lastRefusal());
    }

    @Test
    void deflatingAPageNotInTheBalloonIsRefusedAndTheRestApplied() throws Exception {
        BalloonDevice d = device(8);
        pfns(d, BalloonDevice.Q_INFLATEQ, 1L, 2L);
        assertEquals(0, pfns(d, BalloonDevice.Q_DEFLATEQ, 2L, 99L));
        assertEquals(Set.of(1L), d.pages(), "page 2 left; 99 was never there");
        assertEquals(1, d.refusals());
        assertEquals("deflate: PFN 99 is not in the balloon", d.lastRefusal());
        pfns(d, BalloonDevice.Q_INFLATEQ, 1L);
        assertEquals(2, d.refusals());
        assertEquals("inflate: PFN 1 is in the balloon already", d.lastRefusal());
        assertEquals(Set.of(1L), d.pages());
    }

    @Test
    void aListThatIsNotWholePfnsIsRefusedWhole() throws Exception {
        BalloonDevice d = device(8);
        assertEquals(0, pfnsIn(d, BalloonDevice.Q_INFLATEQ, 6, 5, 6));
        assertEquals(Set.of(), d.pages(), "no PFN of a refused chain is taken");
        assertEquals("inflate: 6 bytes are not whole 4-byte PFNs", d.lastRefusal());
        pfns(d, BalloonDevice.Q_INFLATEQ, 5L);
        pfnsIn(d, BalloonDevice.Q_DEFLATEQ, 3, 5);
        assertEquals(Set.of(5L), d.pages());
        assertEquals("deflate: 3 bytes are not whole 4-byte PFNs", d.lastRefusal());
        assertEquals(2, d.refusals());
    }

    @Test
    void aChainWithDeviceWritableBytesIsRefused() throws Exception {
        BalloonDevice d = device(8);
        mem.write(buf, new byte[] {5, 0, 0, 0}, 0, 4);
        drv.addOut(buf, 4).addIn(buf + 64, 4).submit(1);
        assertEquals(0, loop.serve(d, BalloonDevice.Q_INFLATEQ), "nothing written into the driver's buffer");
        assertEquals(Set.of(), d.pages());
        assertEquals("inflate: a chain with 4 device-writable bytes on a driver-to-device queue", d.lastRefusal());
        drv.addIn(buf + 64, 10).submit(1);
        assertEquals(0, loop.serve(d, BalloonDevice.Q_STATSQ));
        assertEquals("stats: a chain with 10 device-writable bytes on a driver-to-device queue", d.lastRefusal());
        assertFalse(d.holdingStats(), "a refused stats buffer goes back");
        assertEquals(2, d.refusals());
    }

    @Test
    void statisticsAreRecordedByTagNameAndTheBufferIsHeldUntilTheHostAsks() throws Exception {
        BalloonDevice d = device(8);
        AtomicInteger wakeups = new AtomicInteger();
        d.queueStarted(BalloonDevice.Q_STATSQ, wakeups::incrementAndGet);
        assertFalse(d.requestStats(), "nothing to give back before the first buffer");
        stats(5, 250_000_000L, 4, 100_000_000L, 42, 7, 0, 3);
        drv.submit(1);
        assertEquals(VirtioDevice.DEFER, loop.offer(d, BalloonDevice.Q_STATSQ), "the first buffer is held");
        assertEquals(Map.of("VIRTIO_BALLOON_S_MEMTOT", 250_000_000L, "VIRTIO_BALLOON_S_MEMFREE", 100_000_000L,
                "VIRTIO_BALLOON_S_SWAP_IN", 3L), d.lastStats());
        assertEquals(1, d.ignoredStats(), "tag 42 is no tag this device knows");
        assertEquals(1, d.statsUpdates());
        assertEquals(VirtioDevice.DEFER, loop.offer(d, BalloonDevice.Q_STATSQ),
                "offered again without a request, it stays held");
        assertEquals(1, d.statsUpdates(), "and is not counted again");

        assertTrue(d.requestStats());
        assertEquals(1, wakeups.get(), "the request wakes the stats queue");
        assertEquals(0, loop.offer(d, BalloonDevice.Q_STATSQ), "the held buffer goes back with nothing written");
        assertFalse(d.holdingStats());
        assertNull(d.awaitStats(1, 10), "no new statistics until the driver resends");

        stats(5, 249_000_000L, 6, 123L);
        drv.submit(2);
        assertEquals(VirtioDevice.DEFER, loop.offer(d, BalloonDevice.Q_STATSQ));
        assertEquals(Map.of("VIRTIO_BALLOON_S_MEMTOT", 249_000_000L, "VIRTIO_BALLOON_S_AVAIL", 123L),
                d.awaitStats(1, 1000), "the fresh buffer replaces the old statistics");
        assertEquals(0, d.refusals(), d.lastRefusal());
    }

    @Test
    void aStatisticsBufferOfPartEntriesIsRefusedAndGivenBack() throws Exception {
        BalloonDevice d = device(8);
        mem.write(buf, new byte[15], 0, 15);
        drv.addOut(buf, 15).submit(1);
        assertEquals(0, loop.serve(d, BalloonDevice.Q_STATSQ));
        assertEquals("stats: 15 bytes are not whole 10-byte entries", d.lastRefusal());
        assertEquals(0, d.statsUpdates());
        assertEquals(Map.of(), d.lastStats());
    }

    @Test
    void aStoppedStatsQueueForgetsTheHeldBufferButPagesStayAcrossAReset() throws Exception {
        BalloonDevice d = device(8);
        pfns(d, BalloonDevice.Q_INFLATEQ, 4L, 5L);
        stats(5, 1L);
        drv.submit(1);
        assertEquals(VirtioDevice.DEFER, loop.offer(d, BalloonDevice.Q_STATSQ));
        d.queueStopped(BalloonDevice.Q_STATSQ);
        d.reset();
        assertFalse(d.holdingStats());
        assertFalse(d.requestStats(), "the stopped queue's buffer is gone with it");
        assertEquals(Set.of(4L, 5L), d.pages(), "the pages are the host's until a driver deflates them");
        assertEquals(0, d.negotiated());
        assertEquals(BalloonFeatures.STATS_VQ | BalloonFeatures.MUST_TELL_HOST | BalloonFeatures.VERSION_1, d.features());
    }
}
