package dev.avps.devices.can;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.can.CanDeviceBase;
import dev.avps.generated.can.CanFeatures;
import dev.avps.runtime.device.VirtioDevice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The CAN controller and its bus, queue by queue as Linux's virtio_can uses them. */
class CanDeviceTest {

    static final long ALL = (1L << 32) | CanDevice.OFFERED;

    final LoopbackDriver tx = new LoopbackDriver();
    final LoopbackDriver rx = new LoopbackDriver();
    final LoopbackDriver ctl = new LoopbackDriver();
    final CanDevice can = new CanDevice(true);
    final AtomicInteger wakeups = new AtomicInteger();

    CanDeviceTest() {
        can.featuresNegotiated(ALL);
        can.queueStarted(CanDeviceBase.Q_RXQ, wakeups::incrementAndGet);
    }

    /** A control request; returns the result byte. */
    byte control(int msgType) throws Exception {
        long at = ctl.data();
        ctl.memory().write(at, new byte[] {(byte) msgType, (byte) (msgType >> 8)}, 0, 2);
        ctl.memory().writeByte(at + 16, (byte) 0x55);
        ctl.driver().addOut(at, 2).addIn(at + 16, 1).submit(1);
        assertEquals(1, ctl.serve(can, CanDeviceBase.Q_CONTROLQ));
        return ctl.memory().readByte(at + 16);
    }

    static byte[] txOut(int msgType, int length, int flags, int canId, byte[] sdu) {
        ByteBuffer b = ByteBuffer.allocate(16 + sdu.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) msgType).putShort((short) length).put((byte) 0).put((byte) 0).putShort((short) 0)
                .putInt(flags).putInt(canId).put(sdu);
        return b.array();
    }

    /** Sends raw bytes on the transmit queue; returns the result byte. */
    byte send(byte[] out) throws Exception {
        long at = tx.data();
        tx.memory().write(at, out, 0, out.length);
        tx.memory().writeByte(at + 1024, (byte) 0x55);
        tx.driver().addOut(at, out.length).addIn(at + 1024, 1).submit(1);
        assertEquals(1, tx.serve(can, CanDeviceBase.Q_TXQ));
        return tx.memory().readByte(at + 1024);
    }

    byte send(CanFrame f) throws Exception {
        return send(txOut(1, f.data().length, f.flags(), f.canId(), f.data()));
    }

    /** Offers one receive buffer of {@code size} bytes; returns the frame, or null when the device kept the buffer. */
    CanFrame receive(int size) throws Exception {
        long at = rx.data() + 2048;
        if (!rx.holding()) {
            rx.driver().addIn(at, size).submit(1);
        }
        int used = rx.offer(can, CanDeviceBase.Q_RXQ);
        if (used == VirtioDevice.DEFER) {
            return null;
        }
        assertTrue(used >= 16, "a whole header came back: " + used);
        byte[] b = new byte[used];
        rx.memory().read(at, b, 0, used);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0101, h.getShort(0), "VIRTIO_CAN_RX");
        int length = h.getShort(2);
        assertEquals(16 + length, used);
        byte[] data = new byte[length];
        System.arraycopy(b, 16, data, 0, length);
        return new CanFrame(h.getInt(12), h.getInt(8), data);
    }

    @Test
    void offersClassicFdAndRtrButNotLateAck() {
        assertEquals(CanFeatures.CAN_CLASSIC | CanFeatures.CAN_FD | CanFeatures.RTR_FRAMES,
                can.features() & CanFeatures.DEVICE_BITS);
        assertEquals(3, can.queueCount());
        assertEquals(2, can.configSize());
    }

    @Test
    void theControllerStartsStoppedAndRefusesFramesUntilStarted() throws Exception {
        assertFalse(can.started());
        assertEquals(CanDevice.NOT_OK, send(CanFrame.classic(0x100, (byte) 1)));
        assertTrue(can.lastRefusal().contains("stopped"), can.lastRefusal());
        assertEquals(CanDevice.OK, control(CanDevice.START));
        assertTrue(can.started());
        assertEquals(CanDevice.OK, send(CanFrame.classic(0x100, (byte) 1)));
        assertEquals(List.of(CanFrame.classic(0x100, (byte) 1)), can.sent());
        assertEquals(CanDevice.OK, control(CanDevice.STOP));
        assertEquals(CanDevice.NOT_OK, send(CanFrame.classic(0x100, (byte) 2)));
        assertEquals(1, can.sent().size(), "a refused frame never reached the bus");
    }

    @Test
    void thePeerAnswersEachFrameWithTheNextIdentifier() throws Exception {
        control(CanDevice.START);
        assertEquals(null, receive(16 + 64), "nothing on the bus yet: the buffer is held");
        assertEquals(CanDevice.OK, send(CanFrame.classic(0x123, (byte) 0xde, (byte) 0xad)));
        assertTrue(wakeups.get() > 0, "the held receive buffer was woken");
        assertEquals(CanFrame.classic(0x124, (byte) 0xde, (byte) 0xad), receive(16 + 64));
        // Extended identifiers wrap within 29 bits; FD frames keep their flag and length.
        byte[] twelve = new byte[12];
        twelve[11] = 9;
        assertEquals(CanDevice.OK, send(new CanFrame(0x1fffffff, CanFrame.EXTENDED | CanFrame.FD, twelve)));
        assertEquals(new CanFrame(0, CanFrame.EXTENDED | CanFrame.FD, twelve), receive(16 + 64));
        assertEquals(CanDevice.OK, send(new CanFrame(0x7ff, CanFrame.RTR, new byte[4])));
        assertEquals(new CanFrame(0, CanFrame.RTR, new byte[4]), receive(16 + 64));
        assertEquals(3, can.delivered());
    }

    @Test
    void theHostInjectsFramesOnlyWhileStarted() throws Exception {
        assertFalse(can.inject(CanFrame.classic(0x10, (byte) 1)), "a stopped controller hears nothing");
        control(CanDevice.START);
        assertTrue(can.inject(CanFrame.classic(0x10, (byte) 1)));
        assertTrue(can.inject(CanFrame.classic(0x11, (byte) 2)));
        assertEquals(CanFrame.classic(0x10, (byte) 1), receive(24));
        control(CanDevice.STOP);
        control(CanDevice.START);
        assertEquals(null, receive(24), "STOP dropped the frame still waiting");
        assertEquals(2, can.dropped());
        assertFalse(can.inject(CanFrame.classic(0x800)), "an 11-bit identifier out of range");
    }

    @Test
    void withoutFdNegotiatedFdFramesAreRefusedBothWays() throws Exception {
        CanDevice classic = new CanDevice(false);
        classic.featuresNegotiated((1L << 32) | CanFeatures.CAN_CLASSIC);
        long at = ctl.data();
        ctl.memory().write(at, new byte[] {1, 2}, 0, 2);
        ctl.driver().addOut(at, 2).addIn(at + 16, 1).submit(1);
        ctl.serve(classic, CanDeviceBase.Q_CONTROLQ);
        assertTrue(classic.started());
        assertFalse(classic.inject(new CanFrame(1, CanFrame.FD, new byte[12])));
        byte[] out = txOut(1, 12, CanFrame.FD, 1, new byte[12]);
        tx.memory().write(tx.data(), out, 0, out.length);
        tx.driver().addOut(tx.data(), out.length).addIn(tx.data() + 1024, 1).submit(1);
        tx.serve(classic, CanDeviceBase.Q_TXQ);
        assertEquals(CanDevice.NOT_OK, tx.memory().readByte(tx.data() + 1024));
        assertTrue(classic.lastRefusal().contains("CAN_FD"), classic.lastRefusal());
    }

    @Test
    void hostileFramesToSendAreAnsweredNotOk() throws Exception {
        control(CanDevice.START);
        assertEquals(CanDevice.NOT_OK, send(new byte[] {1, 0, 8, 0, 0, 0}), "shorter than the header");
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 8, 0, 0x10, new byte[4])), "length 8 with 4 bytes");
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 9, 0, 0x10, new byte[9])), "a classic frame of 9");
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 65, CanFrame.FD, 0x10, new byte[65])), "FD beyond 64");
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 9, CanFrame.FD, 0x10, new byte[9])), "no FD DLC for 9");
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 0, CanFrame.FD | CanFrame.RTR, 0x10, new byte[0])));
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 0, 0x1, 0x10, new byte[0])), "an undefined flag");
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 0, 0, 0x800, new byte[0])), "12-bit standard id");
        assertEquals(CanDevice.NOT_OK, send(txOut(1, 0, CanFrame.EXTENDED, 0x20000000, new byte[0])));
        assertEquals(CanDevice.NOT_OK, send(txOut(7, 0, 0, 0x10, new byte[0])), "unknown message type");
        assertEquals(CanDevice.NOT_OK, send(new byte[] {1}), "too short for a message type");
        assertEquals(11, can.refused());
        assertEquals(List.of(), can.sent());
        // No room for the result: completed empty, never thrown.
        tx.driver().addOut(tx.data(), 16).submit(1);
        assertEquals(0, tx.serve(can, CanDeviceBase.Q_TXQ));
        assertEquals(12, can.refused());
        // A frame with a longer buffer than its length is fine (Linux sends exactly, others may pad).
        assertEquals(CanDevice.OK, send(txOut(1, 2, 0, 0x10, new byte[8])));
        assertArrayEquals(new byte[2], can.sent().get(0).data());
    }

    @Test
    void unknownControlMessagesAreNotOk() throws Exception {
        assertEquals(CanDevice.NOT_OK, control(0x0203));
        assertEquals(CanDevice.NOT_OK, control(CanDevice.START & 0xff));
        assertFalse(can.started());
    }

    @Test
    void receiveBuffersTooSmallAreGivenBackEmpty() throws Exception {
        control(CanDevice.START);
        rx.driver().addIn(rx.data(), 8).submit(1);
        assertEquals(0, rx.serve(can, CanDeviceBase.Q_RXQ), "smaller than a header");
        can.inject(new CanFrame(5, CanFrame.FD, new byte[64]));
        rx.driver().addIn(rx.data(), 24).submit(1);
        assertEquals(0, rx.serve(can, CanDeviceBase.Q_RXQ), "64 bytes do not fit in 8");
        assertEquals(1, can.dropped());
    }

    @Test
    void busOffStopsTheControllerUntilTheDriverStartsItAgain() throws Exception {
        AtomicInteger notified = new AtomicInteger();
        can.onConfigChange(notified::incrementAndGet);
        control(CanDevice.START);
        can.busOff();
        assertFalse(can.started());
        assertEquals(1, notified.get());
        byte[] c = new byte[2];
        can.readConfig(0, c);
        assertEquals(1, c[0], "VIRTIO_CAN_S_CTRL_BUSOFF");
        assertEquals(CanDevice.NOT_OK, send(CanFrame.classic(1)));
        assertEquals(CanDevice.OK, control(CanDevice.START));
        can.readConfig(0, c);
        assertEquals(0, c[0], "START clears bus-off");
        assertEquals(CanDevice.OK, send(CanFrame.classic(1)));
    }
}
