package dev.avps.devices.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.devices.LoopbackDriver;
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
}
