package dev.avps.generated.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.transport.LoopbackTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog backend driven like a guest driver would: real chains on loopback queues, a fake clock. */
class WatchdogDeviceTest {

    final AtomicLong now = new AtomicLong(1_000);
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger wakeups = new AtomicInteger();
    WatchdogDevice dog;
    LoopbackTransport requests;
    LoopbackTransport events;

    @BeforeEach
    void setUp() throws VirtqueueException {
        dog = new WatchdogDevice(100, 60_000, now::get, resets::incrementAndGet);
        dog.featuresNegotiated(dog.features());
        dog.queueStarted(dog.queueIndex(WatchdogDeviceBase.Q_EVENTQ, 0), wakeups::incrementAndGet);
        requests = LoopbackTransport.create(WatchdogFeatures.VERSION_1, 8, 0, 1 << 12, false);
        events = LoopbackTransport.create(WatchdogFeatures.VERSION_1, 8, 0, 1 << 12, false);
    }

    /** Sends one control request and returns the status byte the device wrote. */
    int control(long type, long timeoutMs, long pretimeoutMs) throws VirtqueueException {
        long req = requests.dataBase();
        long status = req + 64;
        byte[] bytes = ByteBuffer.allocate(VirtioWatchdogReq.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) type).putInt((int) timeoutMs).putInt((int) pretimeoutMs).array();
        requests.memory().write(req, bytes, 0, bytes.length);
        requests.memory().writeByte(status, (byte) 0x7f);
        requests.driver().addOut(req, bytes.length).addIn(status, 1).submit(type);
        DescriptorChain chain = requests.device().newChain();
        assertTrue(requests.device().pop(chain));
        int used = dog.handle(dog.queueIndex(WatchdogDeviceBase.Q_REQUESTQ, 0), chain);
        requests.device().addUsed(chain, used);
        requests.device().flushUsed();
        Completion c = new Completion();
        assertTrue(requests.driver().pollUsed(c));
        assertEquals(1, c.length());
        return requests.memory().readByte(status);
    }

    @Test
    void configAdvertisesTheRangeAndANormalBoot() {
        byte[] cfg = new byte[dog.configSize()];
        dog.readConfig(0, cfg);
        ByteBuffer b = ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(100, b.getInt(0));
        assertEquals(60_000, b.getInt(4));
        assertEquals(VirtioWatchdogBootStatus.VIRTIO_WATCHDOG_BOOT_NORMAL, b.getInt(8));
    }

    @Test
    void timeoutsOutsideTheRangeAreRejected() throws Exception {
        assertEquals(VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_EINVAL,
                control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_START, 50, 0));
        assertEquals(VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_EINVAL,
                control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_START, 61_000, 0));
        assertFalse(dog.running());
        assertEquals(VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_UNSUPP, control(99, 0, 0));
    }

    @Test
    void anUnkickedTimerFiresTheActionAndRecordsTheCause() throws Exception {
        int generation = dog.config().generation();
        assertEquals(VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_OK,
                control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_START, 1_000, 0));
        now.addAndGet(999);
        dog.poll();
        assertEquals(0, resets.get());
        now.addAndGet(1);
        dog.poll();
        assertEquals(1, resets.get());
        assertFalse(dog.running());
        assertEquals(VirtioWatchdogBootStatus.VIRTIO_WATCHDOG_BOOT_TIMEOUT, dog.config().bootStatus());
        assertTrue(dog.config().generation() > generation, "the config change is visible to the driver");
        now.addAndGet(10_000);
        dog.poll();
        assertEquals(1, resets.get(), "fires once");
    }

    @Test
    void kicksKeepTheGuestAliveAndStopDisarms() throws Exception {
        control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_START, 1_000, 0);
        for (int i = 0; i < 10; i++) {
            now.addAndGet(900);
            dog.poll();
            assertEquals(VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_OK,
                    control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_KICK, 0, 0));
        }
        assertEquals(0, resets.get());
        control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_STOP, 0, 0);
        now.addAndGet(5_000);
        dog.poll();
        assertEquals(0, resets.get());
        assertEquals(VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_EINVAL,
                control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_KICK, 0, 0), "nothing to kick");
    }

    @Test
    void thePretimeoutWarningCompletesAParkedEventBuffer() throws Exception {
        long buf = events.dataBase();
        events.driver().addIn(buf, VirtioWatchdogEvent.SIZE).submit(1);
        DescriptorChain chain = events.device().newChain();
        assertTrue(events.device().pop(chain));
        int eventq = dog.queueIndex(WatchdogDeviceBase.Q_EVENTQ, 0);
        assertEquals(VirtioDevice.DEFER, dog.handle(eventq, chain), "no warning due yet");

        control(VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_START, 1_000, 300);
        now.addAndGet(750);
        dog.poll();
        assertEquals(1, wakeups.get());
        int used = dog.handle(eventq, chain);
        assertEquals(VirtioWatchdogEvent.SIZE, used);
        events.device().addUsed(chain, used);
        events.device().flushUsed();
        Completion c = new Completion();
        assertTrue(events.driver().pollUsed(c));
        assertEquals(250, events.memory().readInt(buf));
        assertEquals(0, resets.get());
    }
}
