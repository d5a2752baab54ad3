package dev.avps.devices.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Transfers as Linux's spi-virtio stages them: head, optional tx, optional rx, result. */
class SpiDeviceTest {

    static final byte[] ID = {(byte) 0xaa, 0x50, 0x10};

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long head = loop.data();
    final long tx = head + 64;
    final long rx = head + 0x2000;
    final long result = head + 0x4000;
    final SpiDevice spi = new SpiDevice(new SpiNorFlash(SpiNorFlash.pattern(1 << 16), ID));

    /** A head with the fields Linux fills for a plain mode-0, 8-bit transfer on {@code cs}. */
    static ByteBuffer head(int cs, int csChange) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) cs).put(1, (byte) 8).put(2, (byte) csChange).put(3, (byte) 1).put(4, (byte) 1);
        b.putInt(12, 1_000_000);
        return b;
    }

    /** Submits one transfer; {@code out}/{@code inLen} absent when null/negative. Returns the result byte. */
    byte transfer(ByteBuffer h, byte[] out, int inLen) throws Exception {
        mem.write(head, h.array(), 0, h.capacity());
        drv.addOut(head, h.capacity());
        if (out != null) {
            mem.write(tx, out, 0, out.length);
            drv.addOut(tx, out.length);
        }
        if (inLen >= 0) {
            mem.write(rx, new byte[inLen], 0, inLen);
            drv.addIn(rx, inLen);
        }
        mem.write(result, new byte[] {(byte) 0x77}, 0, 1);
        drv.addIn(result, 1).submit(1);
        int used = loop.serve(spi, 0);
        assertEquals(Math.max(inLen, 0) + 1, used, "rx and the result come back");
        return mem.readByte(result);
    }

    byte[] rx(int n) {
        byte[] b = new byte[n];
        mem.read(rx, b, 0, n);
        return b;
    }

    static byte[] readCommand(int address, int dataBytes) {
        byte[] b = new byte[4 + dataBytes];
        b[0] = SpiNorFlash.OP_READ;
        b[1] = (byte) (address >> 16);
        b[2] = (byte) (address >> 8);
        b[3] = (byte) address;
        return b;
    }

    @Test
    void theConfigurationDescribesTheController() {
        byte[] c = new byte[spi.configSize()];
        spi.readConfig(0, c);
        ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, c[0], "cs_max_number");
        assertEquals(1, c[1], "cs_change_supported");
        assertEquals(0x80, b.getInt(4), "8-bit words only");
        assertEquals(0x4f, b.getInt(8), "modes 0-3 and loopback");
        assertEquals(50_000_000, b.getInt(12));
        assertEquals(0, b.getInt(16), "no word delay");
        assertEquals(1, spi.queueCount(), "one request queue");
    }

    @Test
    void jedecIdInOneFullDuplexTransfer() throws Exception {
        byte[] out = {(byte) SpiNorFlash.OP_JEDEC_ID, 0, 0, 0};
        assertEquals(SpiDevice.OK, transfer(head(0, 1), out, 4));
        assertArrayEquals(new byte[] {(byte) 0xff, ID[0], ID[1], ID[2]}, rx(4), "the opcode byte reads idle");
        assertEquals(1, spi.transfers());
        assertEquals(4, spi.bytes());
    }

    @Test
    void readReturnsTheContentsFromTheAddressAndWraps() throws Exception {
        byte[] flash = spi.flash().contents();
        assertEquals(SpiDevice.OK, transfer(head(0, 1), readCommand(0x1234, 16), 20));
        assertArrayEquals(Arrays.copyOfRange(flash, 0x1234, 0x1244), Arrays.copyOfRange(rx(20), 4, 20));
        // The top address byte beyond 64 KiB is ignored and the read wraps to 0.
        assertEquals(SpiDevice.OK, transfer(head(0, 1), readCommand(0x12fffe, 4), 8));
        byte[] got = Arrays.copyOfRange(rx(8), 4, 8);
        assertArrayEquals(new byte[] {flash[0xfffe], flash[0xffff], flash[0], flash[1]}, got);
    }

    @Test
    void aCommandContinuesAcrossTransfersWhileChipSelectStaysActive() throws Exception {
        byte[] flash = spi.flash().contents();
        assertEquals(SpiDevice.OK, transfer(head(0, 0), readCommand(0x100, 0), -1), "half-duplex write: opcode, address");
        assertEquals(SpiDevice.OK, transfer(head(0, 1), null, 8), "half-duplex read: the data");
        assertArrayEquals(Arrays.copyOfRange(flash, 0x100, 0x108), rx(8));
        // cs_change 1 ended the command: a bare read now sees an idle line (0x00 is no opcode).
        assertEquals(SpiDevice.OK, transfer(head(0, 1), null, 2));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, rx(2));
    }

    @Test
    void switchingChipSelectEndsTheCommand() throws Exception {
        assertEquals(SpiDevice.OK, transfer(head(0, 0), readCommand(0x100, 0), -1));
        assertEquals(SpiDevice.OK, transfer(head(1, 0), null, 2), "nothing answers on chip select 1");
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, rx(2));
        assertEquals(SpiDevice.OK, transfer(head(0, 1), null, 2), "back on 0: a new command with opcode 0x00");
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, rx(2));
    }

    @Test
    void loopbackReturnsWhatWasSent() throws Exception {
        ByteBuffer h = head(1, 1).putInt(8, SpiDevice.MODE_LOOP | SpiDevice.MODE_CPHA | SpiDevice.MODE_CPOL);
        byte[] out = {1, 2, 3, (byte) 0xfe};
        assertEquals(SpiDevice.OK, transfer(h, out, 4));
        assertArrayEquals(out, rx(4));
    }

    @Test
    void parametersOutsideTheConfigurationAreParamErrors() throws Exception {
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(2, 1), new byte[1], 1), "chip select 2 of 2");
        assertTrue(spi.lastError().contains("chip select 2"), spi.lastError());
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).put(1, (byte) 16), new byte[2], 2), "16-bit words");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).put(1, (byte) 0), new byte[1], 1), "0-bit words");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).put(3, (byte) 4), new byte[1], 1), "quad tx");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).put(4, (byte) 3), new byte[1], 1), "rx_nbits 3");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).putInt(8, SpiDevice.MODE_CS_HIGH), new byte[1], 1));
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).putInt(8, SpiDevice.MODE_LSB_FIRST), new byte[1], 1));
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).putInt(8, 1 << 5), new byte[1], 1), "undefined mode bit");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).putInt(12, 50_000_001), new byte[1], 1), "too fast");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).putInt(16, 10), new byte[1], 1), "word delay");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).putInt(20, 1001), new byte[1], 1), "cs setup");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).putInt(28, 1001), new byte[1], 1), "cs inactive");
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 1).put(2, (byte) 2), new byte[1], 1), "cs_change 2");
        assertEquals(13, spi.paramErrors());
        assertEquals(0, spi.transfers());
        // Limits the configuration allows pass: freq 0 (controller's choice), 1000 ns delays.
        ByteBuffer edge = head(0, 1).putInt(12, 0).putInt(20, 1000).putInt(24, 1000).putInt(28, 1000);
        assertEquals(SpiDevice.OK, transfer(edge, new byte[1], 1));
    }

    @Test
    void fullDuplexBuffersOfDifferentLengthsAreParamErrors() throws Exception {
        byte[] out = {(byte) SpiNorFlash.OP_JEDEC_ID, 0, 0, 0};
        assertEquals(SpiDevice.PARAM_ERR, transfer(head(0, 0), out, 3));
        assertTrue(spi.lastError().contains("tx_buf of 4 bytes and rx_buf of 3"), spi.lastError());
        // The refused transfer moved nothing: the next one starts a fresh command.
        assertEquals(SpiDevice.OK, transfer(head(0, 1), out, 4));
        assertArrayEquals(new byte[] {(byte) 0xff, ID[0], ID[1], ID[2]}, rx(4));
    }

    @Test
    void aTransferWithNoDataIsServed() throws Exception {
        assertEquals(SpiDevice.OK, transfer(head(0, 1), null, -1));
        assertEquals(1, spi.transfers());
        assertEquals(0, spi.bytes());
    }

    @Test
    void hostileChainsGetAnAnswerOrNothingNeverAnException() throws Exception {
        // A head cut short: the result byte still says PARAM_ERR.
        drv.addOut(head, 10).addIn(result, 1).submit(1);
        assertEquals(1, loop.serve(spi, 0));
        assertEquals(SpiDevice.PARAM_ERR, mem.readByte(result));
        // No device-writable byte at all: completed with nothing written.
        mem.write(head, head(0, 1).array(), 0, 32);
        drv.addOut(head, 32).addOut(tx, 4).submit(1);
        assertEquals(0, loop.serve(spi, 0));
        assertEquals(1, spi.unanswerable());
        // Only writable bytes (no head): PARAM_ERR in the last one.
        drv.addIn(rx, 4).addIn(result, 1).submit(1);
        assertEquals(5, loop.serve(spi, 0));
        assertEquals(SpiDevice.PARAM_ERR, mem.readByte(result));
        // Longer than one transfer may be (here 4 KiB): TRANS_ERR, and no bytes move.
        SpiDevice small = new SpiDevice(new SpiNorFlash(SpiNorFlash.pattern(1024), ID), 4096);
        mem.write(head, head(0, 1).array(), 0, 32);
        drv.addOut(head, 32).addOut(tx, 4097).addIn(rx, 4097).addIn(result, 1).submit(1);
        assertEquals(4098, loop.serve(small, 0));
        assertEquals(SpiDevice.TRANS_ERR, mem.readByte(result));
        assertEquals(1, small.transferErrors());
        assertEquals(0, small.transfers());
    }

    @Test
    void aResetDeselectsEveryChipSelect() throws Exception {
        assertEquals(SpiDevice.OK, transfer(head(0, 0), readCommand(0x100, 0), -1));
        spi.reset();
        assertEquals(SpiDevice.OK, transfer(head(0, 1), null, 2), "the half-sent read is gone");
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, rx(2));
    }

    @Test
    void theFlashRefusesSizesThatCannotWrap() {
        assertThrows(IllegalArgumentException.class, () -> new SpiNorFlash(new byte[1000], ID));
        assertThrows(IllegalArgumentException.class, () -> new SpiNorFlash(new byte[1024], new byte[2]));
        SpiNorFlash f = new SpiNorFlash(SpiNorFlash.pattern(1024), ID);
        f.exchange(SpiNorFlash.OP_READ_STATUS);
        assertEquals(0, f.exchange(0), "never busy");
    }
}
