package dev.avps.devices.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.gpio.GpioFeatures;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The gpio backend's message handling over real descriptor chains. */
class GpioDeviceTest {

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long req = loop.data();
    final long resp = req + 64;
    final GpioDevice gpio = new GpioDevice("a", "bb", "ccc");

    /** Sends one request and returns {status, value}. */
    int[] send(int type, int line, int value) throws Exception {
        return send(gpio, type, line, value);
    }

    int[] send(GpioDevice gpio, int type, int line, int value) throws Exception {
        mem.write(req, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) type)
                .putShort((short) line).putInt(value).array(), 0, 8);
        drv.addOut(req, 8).addIn(resp, 2).submit(1);
        loop.serve(gpio, 0);
        return new int[] {mem.readByte(resp), mem.readByte(resp + 1)};
    }

    @Test
    void directionsAndValues() throws Exception {
        assertEquals(0, send(GpioDevice.SET_DIRECTION, 1, GpioDevice.DIRECTION_OUT)[0]);
        assertEquals(0, send(GpioDevice.SET_VALUE, 1, 1)[0]);
        assertEquals(1, gpio.outputValue(1));
        assertEquals(GpioDevice.DIRECTION_OUT, send(GpioDevice.GET_DIRECTION, 1, 0)[1]);
        gpio.setInputLevel(2, 1);
        send(GpioDevice.SET_DIRECTION, 2, GpioDevice.DIRECTION_IN);
        assertEquals(1, send(GpioDevice.GET_VALUE, 2, 0)[1]);
    }

    @Test
    void levelSetBeforeTheDirectionIsKept() throws Exception {
        // Linux's direction_output sends SET_VALUE first, then SET_DIRECTION.
        assertEquals(0, send(GpioDevice.SET_VALUE, 0, 1)[0]);
        assertEquals(0, send(GpioDevice.SET_DIRECTION, 0, GpioDevice.DIRECTION_OUT)[0]);
        assertEquals(1, gpio.outputValue(0));
        assertEquals(1, send(GpioDevice.GET_VALUE, 0, 0)[1]);
    }

    @Test
    void badRequestsGetErrNotExceptions() throws Exception {
        assertEquals(GpioDevice.ERR, send(GpioDevice.GET_VALUE, 3, 0)[0], "line out of range");
        assertEquals(GpioDevice.ERR, send(GpioDevice.SET_VALUE, 0, 2)[0], "a level other than 0 or 1");
        assertEquals(GpioDevice.ERR, send(GpioDevice.SET_DIRECTION, 0, 7)[0], "unknown direction");
        assertEquals(GpioDevice.ERR, send(99, 0, 0)[0], "unknown request");
    }

    @Test
    void namesAndConfig() throws Exception {
        byte[] cfg = new byte[8];
        gpio.readConfig(0, cfg);
        ByteBuffer c = ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, c.getShort(0));
        assertEquals("a\0bb\0ccc\0".length(), c.getInt(4));
        mem.write(req, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) GpioDevice.GET_NAMES)
                .array(), 0, 8);
        drv.addOut(req, 8).addIn(resp, 1 + 9).submit(1);
        assertEquals(10, loop.serve(gpio, 0));
        byte[] names = new byte[9];
        mem.read(resp + 1, names, 0, 9);
        assertEquals("a\0bb\0ccc\0", new String(names));
    }

    @Test
    void directionNoneForgetsTheLine() throws Exception {
        send(GpioDevice.SET_VALUE, 0, 1);
        send(GpioDevice.SET_DIRECTION, 0, GpioDevice.DIRECTION_OUT);
        assertEquals(0, send(GpioDevice.SET_DIRECTION, 0, GpioDevice.DIRECTION_NONE)[0]);
        assertEquals(GpioDevice.DIRECTION_NONE, send(GpioDevice.GET_DIRECTION, 0, 0)[1]);
        send(GpioDevice.SET_DIRECTION, 0, GpioDevice.DIRECTION_OUT);
        assertEquals(0, send(GpioDevice.GET_VALUE, 0, 0)[1], "the level set before NONE is gone");
    }

    @Test
    void aResetDisablesInterruptsButKeepsThePins() throws Exception {
        irq.featuresNegotiated((1L << 32) | GpioFeatures.IRQ);
        send(irq, GpioDevice.SET_VALUE, 1, 1);
        send(irq, GpioDevice.SET_DIRECTION, 1, GpioDevice.DIRECTION_OUT);
        send(irq, GpioDevice.SET_DIRECTION, 0, GpioDevice.DIRECTION_IN);
        send(irq, GpioDevice.IRQ_TYPE, 0, GpioDevice.RISING);
        irq.setInputLevel(0, 1);
        irq.reset();
        irq.featuresNegotiated((1L << 32) | GpioFeatures.IRQ);
        assertEquals(GpioDevice.DIRECTION_OUT, irq.direction(1));
        assertEquals(1, irq.outputValue(1));
        assertEquals(1, unmask(0), "the old driver's trigger and latched edge are gone");
        assertEquals(GpioDevice.IRQ_INVALID, irqStatus());
    }

    final LoopbackDriver events = new LoopbackDriver();
    final GpioDevice irq = new GpioDevice(true, "a", "b");

    /** Queues an eventq buffer for {@code line}: the used length, or DEFER while the device keeps it. */
    int unmask(int line) throws Exception {
        long at = events.data();
        events.memory().write(at, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) line).array(),
                0, 2);
        events.driver().addOut(at, 2).addIn(at + 64, 1).submit(1);
        return events.offer(irq, GpioDevice.Q_EVENTQ);
    }

    byte irqStatus() {
        return events.memory().readByte(events.data() + 64);
    }

    @Test
    void anEdgeSeenWhileMaskedIsDeliveredOnceUnmasked() throws Exception {
        irq.featuresNegotiated((1L << 32) | GpioFeatures.IRQ);
        assertEquals(GpioFeatures.IRQ, irq.features() & GpioFeatures.IRQ);
        send(irq, GpioDevice.SET_DIRECTION, 0, GpioDevice.DIRECTION_IN);
        assertEquals(GpioDevice.OK, send(irq, GpioDevice.IRQ_TYPE, 0, GpioDevice.RISING)[0]);
        irq.setInputLevel(0, 1);
        assertEquals(1, unmask(0));
        assertEquals(GpioDevice.IRQ_VALID, irqStatus());
        assertEquals(VirtioDevice.DEFER, unmask(0), "nothing latched since");
        irq.setInputLevel(0, 0);
        assertEquals(VirtioDevice.DEFER, events.offer(irq, GpioDevice.Q_EVENTQ), "a falling edge does not match");
        assertEquals(GpioDevice.OK, send(irq, GpioDevice.IRQ_TYPE, 0, GpioDevice.TRIGGER_NONE)[0]);
        assertEquals(1, events.offer(irq, GpioDevice.Q_EVENTQ), "disabling returns the waiting buffer");
        assertEquals(GpioDevice.IRQ_INVALID, irqStatus());
    }

    @Test
    void aLevelIsNotLatchedAndADisabledLineGetsItsBufferBack() throws Exception {
        irq.featuresNegotiated((1L << 32) | GpioFeatures.IRQ);
        assertEquals(1, unmask(1), "unmasked before being enabled: returned at once");
        assertEquals(GpioDevice.IRQ_INVALID, irqStatus());
        send(irq, GpioDevice.SET_DIRECTION, 1, GpioDevice.DIRECTION_IN);
        send(irq, GpioDevice.IRQ_TYPE, 1, GpioDevice.LEVEL_HIGH);
        irq.setInputLevel(1, 1);
        irq.setInputLevel(1, 0);
        assertEquals(VirtioDevice.DEFER, unmask(1), "the level went away while masked");
        irq.setInputLevel(1, 1);
        assertEquals(1, events.offer(irq, GpioDevice.Q_EVENTQ));
        assertEquals(GpioDevice.IRQ_VALID, irqStatus());
    }

    @Test
    void withoutTheFeatureIrqTypeIsRefused() throws Exception {
        irq.featuresNegotiated(1L << 32);
        assertEquals(GpioDevice.ERR, send(irq, GpioDevice.IRQ_TYPE, 0, GpioDevice.RISING)[0]);
        assertEquals(0, unmask(0), "without the feature there is no eventq: a buffer there comes back empty");
    }
}
