package dev.avps.devices.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.input.VirtioInputConfigSelect;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The input backend's configuration queries, event delivery and status reports over real chains. */
class InputDeviceTest {

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long buf = loop.data();

    final InputDevice tablet = InputDevice.builder("AVPS tablet").serial("T-1").ids(0x06, 0x1234, 0x5678, 2)
            .key(EvdevCodes.BTN_TOUCH).abs(EvdevCodes.ABS_X, 0, 32767, 4, 8, 100)
            .abs(EvdevCodes.ABS_Y, -100, 100, 0, 0, 0).build();

    /** Writes select/subsel the way a transport does and returns {size, u bytes}. */
    static byte[] query(InputDevice d, int select, int subsel) {
        d.writeConfig(0, new byte[] {(byte) select, (byte) subsel});
        byte[] cfg = new byte[d.configSize()];
        d.readConfig(0, cfg);
        return Arrays.copyOfRange(cfg, 8, 8 + (cfg[2] & 0xff));
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void identityQueries() {
        assertEquals("AVPS tablet", new String(query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ID_NAME, 0),
                StandardCharsets.UTF_8));
        assertEquals("T-1", new String(query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ID_SERIAL, 0),
                StandardCharsets.UTF_8));
        ByteBuffer ids = le(query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ID_DEVIDS, 0));
        assertEquals(8, ids.capacity());
        assertEquals(0x06, ids.getShort(0));
        assertEquals(0x1234, ids.getShort(2));
        assertEquals(0x5678, ids.getShort(4));
        assertEquals(2, ids.getShort(6));
    }

    @Test
    void capabilityBitmapsAndAxes() {
        byte[] keys = query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_EV_BITS, EvdevCodes.EV_KEY);
        assertEquals(EvdevCodes.BTN_TOUCH / 8 + 1, keys.length, "the bitmap ends at its last set byte");
        assertEquals(1 << (EvdevCodes.BTN_TOUCH % 8), keys[EvdevCodes.BTN_TOUCH / 8] & 0xff);
        assertArrayEquals(new byte[] {3}, query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_EV_BITS,
                EvdevCodes.EV_ABS), "ABS_X and ABS_Y");
        assertEquals(0, query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_EV_BITS, EvdevCodes.EV_REL).length,
                "size 0: no relative axes");
        ByteBuffer y = le(query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ABS_INFO, EvdevCodes.ABS_Y));
        assertEquals(20, y.capacity());
        assertEquals(-100, y.getInt(0));
        assertEquals(100, y.getInt(4));
        ByteBuffer x = le(query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ABS_INFO, EvdevCodes.ABS_X));
        assertEquals(32767, x.getInt(4));
        assertEquals(4, x.getInt(8));
        assertEquals(8, x.getInt(12));
        assertEquals(100, x.getInt(16));
        assertEquals(0, query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ABS_INFO, 7).length);
        assertEquals(0, query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_PROP_BITS, 0).length);
        assertEquals(0, query(tablet, VirtioInputConfigSelect.VIRTIO_INPUT_CFG_UNSET, 0).length);
        assertEquals(0, query(tablet, 0x7f, 0).length, "an unknown select answers size 0");
    }

    @Test
    void aWholeWindowWriteCannotPlantAnAnswer() {
        // QEMU forwards the whole 136-byte window; size and u in it are stale or hostile.
        byte[] window = new byte[tablet.configSize()];
        Arrays.fill(window, (byte) 0x5a);
        window[0] = (byte) VirtioInputConfigSelect.VIRTIO_INPUT_CFG_ID_SERIAL;
        window[1] = 0;
        tablet.writeConfig(0, window);
        byte[] cfg = new byte[tablet.configSize()];
        tablet.readConfig(0, cfg);
        assertEquals(3, cfg[2]);
        assertEquals("T-1", new String(cfg, 8, 3, StandardCharsets.UTF_8));
        for (int i = 11; i < cfg.length; i++) {
            assertEquals(0, cfg[i], "byte " + i + " of the answer window is cleared");
        }
    }

    @Test
    void eventsWaitForBuffersAndWakeTheQueue() throws Exception {
        InputDevice kbd = InputDevice.keyboard("kbd");
        AtomicInteger wakeups = new AtomicInteger();
        kbd.queueStarted(InputDevice.Q_EVENTQ, wakeups::incrementAndGet);
        drv.addIn(buf, 8).submit(1);
        assertEquals(VirtioDevice.DEFER, loop.offer(kbd, InputDevice.Q_EVENTQ), "nothing to say yet: keep the buffer");
        assertTrue(kbd.send(EvdevCodes.EV_KEY, EvdevCodes.KEY_A, 1));
        assertEquals(0, wakeups.get(), "half an update is not offered to the driver");
        assertEquals(0, kbd.pending());
        assertTrue(kbd.send(EvdevCodes.EV_SYN, EvdevCodes.SYN_REPORT, 0));
        assertEquals(1, wakeups.get(), "the whole update wakes the queue");
        assertEquals(8, loop.offer(kbd, InputDevice.Q_EVENTQ));
        assertEquals(EvdevCodes.EV_KEY, mem.readShort(buf));
        assertEquals(EvdevCodes.KEY_A, mem.readShort(buf + 2));
        assertEquals(1, mem.readInt(buf + 4));
        drv.addIn(buf + 8, 8).submit(1);
        assertEquals(8, loop.offer(kbd, InputDevice.Q_EVENTQ));
        assertEquals(EvdevCodes.EV_SYN, mem.readShort(buf + 8));
        assertEquals(0, kbd.pending());
    }

    @Test
    void aDriverThatTakesNothingCannotExhaustTheHost() {
        InputDevice kbd = InputDevice.keyboard("kbd");
        for (int i = 0; i < InputDevice.MAX_PENDING / 2; i++) {
            assertTrue(kbd.key(EvdevCodes.KEY_B, (i & 1) == 0));
        }
        assertFalse(kbd.key(EvdevCodes.KEY_B, false));
        assertEquals(2, kbd.dropped(), "the update that did not fit, both its events");
        assertEquals(InputDevice.MAX_PENDING, kbd.pending());
    }

    /**
     * 5.8.6.2: an update that does not fit is dropped whole, never cut. With room for 5 events, a
     * 3-event update after a 2-event one fits; the next 2-event one does not, and nothing of it is
     * queued (the old per-event limit kept its EV_KEY and refused its report, gluing it to the
     * update after).
     */
    @Test
    void anUpdateThatDoesNotFitIsDroppedWhole() throws Exception {
        InputDevice kbd = InputDevice.builder("kbd").key(EvdevCodes.KEY_A).key(EvdevCodes.KEY_B).maxPending(5).build();
        assertTrue(kbd.key(EvdevCodes.KEY_A, true));
        assertTrue(kbd.send(EvdevCodes.EV_KEY, EvdevCodes.KEY_A, 0));
        assertTrue(kbd.send(EvdevCodes.EV_KEY, EvdevCodes.KEY_B, 1));
        assertTrue(kbd.send(EvdevCodes.EV_SYN, EvdevCodes.SYN_REPORT, 0));
        assertEquals(5, kbd.pending());
        assertFalse(kbd.key(EvdevCodes.KEY_B, false), "no room for 2 more");
        assertEquals(5, kbd.pending(), "nothing of the dropped update is queued");
        assertEquals(2, kbd.dropped());
        int[][] expected = {{EvdevCodes.EV_KEY, EvdevCodes.KEY_A, 1}, {EvdevCodes.EV_SYN, EvdevCodes.SYN_REPORT, 0},
                {EvdevCodes.EV_KEY, EvdevCodes.KEY_A, 0}, {EvdevCodes.EV_KEY, EvdevCodes.KEY_B, 1},
                {EvdevCodes.EV_SYN, EvdevCodes.SYN_REPORT, 0}};
        for (int[] e : expected) {
            drv.addIn(buf, 8).submit(1);
            assertEquals(8, loop.offer(kbd, InputDevice.Q_EVENTQ));
            assertArrayEquals(e, new int[] {mem.readShort(buf), mem.readShort(buf + 2), mem.readInt(buf + 4)});
        }
        assertTrue(kbd.key(EvdevCodes.KEY_B, false), "room again once the driver took the events");
        assertEquals(2, kbd.pending());
    }

    @Test
    void anUpdateLongerThanTheQueueIsDroppedToItsReport() {
        InputDevice kbd = InputDevice.builder("kbd").key(EvdevCodes.KEY_A).maxPending(2).build();
        assertTrue(kbd.send(EvdevCodes.EV_KEY, EvdevCodes.KEY_A, 1));
        assertTrue(kbd.send(EvdevCodes.EV_KEY, EvdevCodes.KEY_B, 1));
        assertFalse(kbd.send(EvdevCodes.EV_KEY, EvdevCodes.KEY_ESC, 1));
        assertFalse(kbd.send(EvdevCodes.EV_SYN, EvdevCodes.SYN_REPORT, 0));
        assertEquals(0, kbd.pending());
        assertEquals(4, kbd.dropped());
        assertTrue(kbd.key(EvdevCodes.KEY_A, false), "the next update starts afresh");
        assertEquals(2, kbd.pending());
    }

    @Test
    void tooSmallEventBuffersAreReturnedEmpty() throws Exception {
        InputDevice kbd = InputDevice.keyboard("kbd");
        kbd.key(EvdevCodes.KEY_A, true);
        drv.addIn(buf, 4).submit(1);
        assertEquals(0, loop.offer(kbd, InputDevice.Q_EVENTQ));
        assertEquals(2, kbd.pending(), "the events stay for a proper buffer");
    }

    @Test
    void statusReportsReachTheListener() throws Exception {
        InputDevice kbd = InputDevice.keyboard("kbd");
        List<int[]> seen = new ArrayList<>();
        kbd.onStatus((t, c, v) -> seen.add(new int[] {t, c, v}));
        mem.write(buf, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) EvdevCodes.EV_LED)
                .putShort((short) EvdevCodes.LED_CAPSL).putInt(1).array(), 0, 8);
        drv.addOut(buf, 8).submit(1);
        assertEquals(0, loop.serve(kbd, InputDevice.Q_STATUSQ));
        drv.addOut(buf, 3).submit(1);
        assertEquals(0, loop.serve(kbd, InputDevice.Q_STATUSQ), "a short status is ignored");
        assertEquals(1, seen.size());
        assertArrayEquals(new int[] {EvdevCodes.EV_LED, EvdevCodes.LED_CAPSL, 1}, seen.get(0));
    }

    @Test
    void theBuilderRefusesWhatTheWindowCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> InputDevice.builder("x".repeat(129)));
        assertThrows(IllegalArgumentException.class, () -> InputDevice.builder("k").key(1024));
        assertThrows(IllegalArgumentException.class, () -> InputDevice.builder("k").abs(0, 5, 4, 0, 0, 0));
        assertThrows(IllegalStateException.class, () -> InputDevice.builder("k").build());
    }
}
