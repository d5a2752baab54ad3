package dev.avps.devices.i2c;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.devices.LoopbackDriver;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The simulated EEPROM behind the i2c backend, segment by segment as Linux sends them. */
class I2cDeviceTest {

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long hdr = loop.data();
    final long buf = hdr + 64;
    final long status = hdr + 512;
    final I2cDevice i2c = new I2cDevice(0x50);

    private byte segment(int addr7, int flags, byte[] write, int read) throws Exception {
        mem.write(hdr, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (addr7 << 1))
                .putShort((short) 0).putInt(flags).array(), 0, 8);
        drv.addOut(hdr, 8);
        if (write != null && write.length > 0) {
            mem.write(buf, write, 0, write.length);
            drv.addOut(buf, write.length);
        } else if (write == null && read > 0) {
            drv.addIn(buf, read);
        }
        drv.addIn(status, 1).submit(1);
        loop.serve(i2c, 0);
        return mem.readByte(status);
    }

    @Test
    void writeThenReadBackThroughThePointer() throws Exception {
        assertEquals(I2cDevice.OK, segment(0x50, 0, new byte[] {0x20, 1, 2, 3}, 0));
        assertEquals(I2cDevice.OK, segment(0x50, I2cDevice.FLAG_FAIL_NEXT, new byte[] {0x21}, 0));
        assertEquals(I2cDevice.OK, segment(0x50, I2cDevice.FLAG_M_RD, null, 2));
        assertEquals(2, mem.readByte(buf));
        assertEquals(3, mem.readByte(buf + 1));
    }

    @Test
    void zeroLengthSegmentsProbeAnAddress() throws Exception {
        assertEquals(I2cDevice.F_ZERO_LENGTH_REQUEST, i2c.features() & I2cDevice.F_ZERO_LENGTH_REQUEST);
        assertEquals(I2cDevice.OK, segment(0x50, 0, new byte[0], 0), "someone answers at 0x50");
        assertEquals(I2cDevice.ERR, segment(0x23, 0, new byte[0], 0), "nobody at 0x23");
    }

    @Test
    void absentAddressFailsAndPoisonsTheRestOfTheTransfer() throws Exception {
        assertEquals(I2cDevice.ERR, segment(0x51, I2cDevice.FLAG_FAIL_NEXT, new byte[] {0}, 0));
        assertEquals(I2cDevice.ERR, segment(0x50, I2cDevice.FLAG_M_RD, null, 1), "the group's last segment fails too");
        assertEquals(I2cDevice.OK, segment(0x50, I2cDevice.FLAG_M_RD, null, 1), "the next transfer starts clean");
    }

    @Test
    void aDriverWithoutZeroLengthRequestIsRefused() {
        assertEquals(false, i2c.acceptsFeatures(1L << 32), "VERSION_1 alone lacks the mandatory feature");
        assertEquals(true, i2c.acceptsFeatures((1L << 32) | I2cDevice.F_ZERO_LENGTH_REQUEST));
    }

    @Test
    void aResetEndsAGroupLeftOpen() throws Exception {
        assertEquals(I2cDevice.ERR, segment(0x51, I2cDevice.FLAG_FAIL_NEXT, new byte[] {0}, 0));
        i2c.reset();
        assertEquals(I2cDevice.OK, segment(0x50, I2cDevice.FLAG_M_RD, null, 1), "the old driver's group is gone");
    }
}
