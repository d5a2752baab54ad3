package dev.avps.runtime;

import static dev.avps.runtime.VirtioFeatures.EVENT_IDX;
import static dev.avps.runtime.VirtioFeatures.RING_PACKED;
import static dev.avps.runtime.VirtioFeatures.VERSION_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.transport.Doorbell;
import dev.avps.runtime.transport.LoopbackTransport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Driver and device on separate threads, sleeping on doorbells with notification suppression on:
 * every request must come back with the right response and no wakeup may be lost (a lost one
 * shows up as a timeout).
 */
class TwoThreadLoopbackTest {
    private static final int REQUESTS = 200_000;
    private static final int SIZE = 64;

    @ParameterizedTest(name = "packed={0} eventIdx={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    @Timeout(60)
    void streamsRequestsAcrossThreads(boolean packed, boolean eventIdx) throws Exception {
        long features = VERSION_1 | (packed ? RING_PACKED : 0) | (eventIdx ? EVENT_IDX : 0);
        LoopbackTransport t = LoopbackTransport.create(features, SIZE, 0, 2 * SIZE * 32, true);
        AtomicReference<Throwable> deviceError = new AtomicReference<>();
        Thread device = new Thread(() -> {
            try {
                runDevice(t);
            } catch (Throwable e) {
                deviceError.set(e);
            }
        }, "virtio-device");
        device.start();
        long checksum = runDriver(t);
        device.join(TimeUnit.SECONDS.toMillis(30));
        assertNull(deviceError.get());
        long expected = 0;
        for (long i = 0; i < REQUESTS; i++) {
            expected += i * 31 + 7;
        }
        assertEquals(expected, checksum);
    }

    private static long slot(LoopbackTransport t, long cookie) {
        return t.dataBase() + (cookie % (2 * SIZE)) * 32;
    }

    private static long runDriver(LoopbackTransport t) throws VirtqueueException {
        DriverQueue q = t.driver();
        GuestMemory mem = t.memory();
        Doorbell irq = t.driverDoorbell();
        Completion done = new Completion();
        long submitted = 0;
        long completed = 0;
        long checksum = 0;
        while (completed < REQUESTS) {
            long seen = irq.count();
            boolean progress = false;
            while (submitted < REQUESTS && q.outstanding() < SIZE) {
                long at = slot(t, submitted);
                mem.writeLong(at, submitted);
                if (q.addOut(at, 8).addIn(at + 8, 8).submit(submitted) < 0) {
                    q.clearStaged();
                    break;
                }
                submitted++;
                progress = true;
            }
            t.kick();
            while (q.pollUsed(done)) {
                assertEquals(8, done.length());
                assertEquals(completed, done.cookie(), "device completes in order here");
                checksum += mem.readLong(slot(t, done.cookie()) + 8);
                completed++;
                progress = true;
            }
            if (!progress && !q.enableCallbacks()) {
                irq.await(seen, 10, TimeUnit.MILLISECONDS);
            }
        }
        // Tells the device thread to stop.
        mem.writeLong(t.dataBase() + 2 * SIZE * 32 - 8, -1);
        t.deviceDoorbell().ring();
        return checksum;
    }

    private static void runDevice(LoopbackTransport t) throws VirtqueueException {
        DeviceQueue q = t.device();
        Doorbell kick = t.deviceDoorbell();
        DescriptorChain c = q.newChain();
        long handled = 0;
        while (handled < REQUESTS) {
            long seen = kick.count();
            boolean any = false;
            while (q.pop(c)) {
                long request = c.readLongLE(0);
                c.writeLongLE(0, request * 31 + 7);
                q.addUsed(c, 8);
                handled++;
                any = true;
            }
            q.flushUsed();
            t.interrupt();
            if (!any && !q.enableNotifications()) {
                kick.await(seen, 10, TimeUnit.MILLISECONDS);
            }
        }
    }
}
