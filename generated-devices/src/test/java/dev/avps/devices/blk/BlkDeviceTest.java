package dev.avps.devices.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.blk.BlkFeatures;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blk backend's request logic, driven through real descriptor chains in guest memory. */
class BlkDeviceTest {

    /** virtio_blk_config.writeback: byte 32 (the spec and Linux's struct agree). */
    static final int WRITEBACK = 32;

    @TempDir
    Path dir;

    Path image;
    LoopbackDriver loop;
    GuestMemory mem;
    DriverQueue drv;
    long hdr;
    long data;
    long status;

    @BeforeEach
    void setUp() throws Exception {
        image = dir.resolve("disk.img");
        byte[] content = new byte[8 * 512];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 512 + 1);
        }
        Files.write(image, content);
        loop = new LoopbackDriver();
        mem = loop.memory();
        drv = loop.driver();
        hdr = loop.data();
        data = hdr + 64;
        status = data + 8192;
    }

    private void header(int type, long sector) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector);
        mem.write(hdr, b.array(), 0, 16);
    }

    /** Submits one chain, lets the device handle it, and returns the used length. */
    private int run(BlkDevice blk) throws Exception {
        return loop.serve(blk, 0);
    }

    private byte status() {
        return mem.readByte(status);
    }

    @Test
    void readsSectorsIntoTheWritableBuffers() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            header(BlkDevice.T_IN, 2);
            drv.addOut(hdr, 16).addIn(data, 1024).addIn(status, 1).submit(1);
            assertEquals(1025, run(blk));
            assertEquals(BlkDevice.S_OK, status());
            assertEquals(3, mem.readByte(data));
            assertEquals(4, mem.readByte(data + 1023));
        }
    }

    @Test
    void scatteredSegmentsAreReadAndWrittenInChainOrder() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            // Header and the first data bytes share a buffer; the data continues in pieces placed
            // backwards in guest memory, so only chain order can put them together right.
            byte[] first = new byte[16 + 100];
            ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).putInt(BlkDevice.T_OUT).putInt(0).putLong(1);
            java.util.Arrays.fill(first, 16, first.length, (byte) 0x11);
            long head = data + 6000;
            mem.write(head, first, 0, first.length);
            byte[] b = new byte[300];
            java.util.Arrays.fill(b, (byte) 0x22);
            mem.write(data + 4096, b, 0, 300);
            byte[] c = new byte[112];
            java.util.Arrays.fill(c, (byte) 0x33);
            mem.write(data, c, 0, 112);
            drv.addOut(head, first.length).addOut(data + 4096, 300).addOut(data, 112).addIn(status, 1).submit(1);
            assertEquals(1, run(blk));
            assertEquals(BlkDevice.S_OK, status());
            byte[] onDisk = Files.readAllBytes(image);
            assertEquals(0x11, onDisk[512]);
            assertEquals(0x11, onDisk[512 + 99]);
            assertEquals(0x22, onDisk[512 + 100]);
            assertEquals(0x22, onDisk[512 + 399]);
            assertEquals(0x33, onDisk[512 + 400]);
            assertEquals(0x33, onDisk[1023]);
            assertEquals(3, onDisk[1024], "the next sector is untouched");

            // Read it back into three pieces, the status byte sharing the last one.
            header(BlkDevice.T_IN, 1);
            mem.fill(data, 8192, (byte) 0);
            drv.addOut(hdr, 16).addIn(data + 2048, 200).addIn(data, 212).addIn(data + 4096, 101).submit(2);
            assertEquals(513, run(blk));
            assertEquals(0x11, mem.readByte(data + 2048));
            assertEquals(0x22, mem.readByte(data + 2048 + 199));
            assertEquals(0x22, mem.readByte(data + 199));
            assertEquals(0x33, mem.readByte(data + 200));
            assertEquals(0x33, mem.readByte(data + 4096 + 99));
            assertEquals(BlkDevice.S_OK, mem.readByte(data + 4096 + 100), "status after the 512 data bytes");
        }
    }

    @Test
    void writesReachTheImageAndFlushSucceeds() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            byte[] payload = new byte[512];
            java.util.Arrays.fill(payload, (byte) 0x5a);
            mem.write(data, payload, 0, 512);
            header(BlkDevice.T_OUT, 7);
            drv.addOut(hdr, 16).addOut(data, 512).addIn(status, 1).submit(1);
            assertEquals(1, run(blk));
            assertEquals(BlkDevice.S_OK, status());
            header(BlkDevice.T_FLUSH, 0);
            drv.addOut(hdr, 16).addIn(status, 1).submit(2);
            run(blk);
            assertEquals(BlkDevice.S_OK, status());
        }
        byte[] onDisk = Files.readAllBytes(image);
        assertEquals(0x5a, onDisk[7 * 512]);
        assertEquals(0x5a, onDisk[8 * 512 - 1]);
        assertEquals(7, onDisk[7 * 512 - 1], "the sector before is untouched");
    }

    @Test
    void aHeaderCutShortGetsIoErrInTheStatus() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            header(BlkDevice.T_IN, 0);
            mem.writeByte(status, (byte) 0x77);
            drv.addOut(hdr, 15).addIn(status, 1).submit(1);
            assertEquals(1, run(blk));
            assertEquals(BlkDevice.S_IOERR, status());
        }
    }

    @Test
    void outOfRangeAndRaggedRequestsFailWithIoErr() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            header(BlkDevice.T_IN, 7);
            drv.addOut(hdr, 16).addIn(data, 1024).addIn(status, 1).submit(1);
            assertEquals(1, run(blk), "only the status byte is written");
            assertEquals(BlkDevice.S_IOERR, status());
            header(BlkDevice.T_IN, -1);
            drv.addOut(hdr, 16).addIn(data, 512).addIn(status, 1).submit(2);
            run(blk);
            assertEquals(BlkDevice.S_IOERR, status());
            header(BlkDevice.T_OUT, 0);
            drv.addOut(hdr, 16).addOut(data, 100).addIn(status, 1).submit(3);
            run(blk);
            assertEquals(BlkDevice.S_IOERR, status(), "not a whole number of sectors");
        }
    }

    @Test
    void readOnlyDiskRefusesWritesAndOffersRo() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, true, "s")) {
            assertTrue((blk.features() & BlkDevice.F_RO) != 0);
            header(BlkDevice.T_OUT, 0);
            drv.addOut(hdr, 16).addOut(data, 512).addIn(status, 1).submit(1);
            run(blk);
            assertEquals(BlkDevice.S_IOERR, status());
        }
        assertEquals(1, Files.readAllBytes(image)[0], "the image is unchanged");
    }

    @Test
    void getIdUnknownTypesAndZeroing() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "avps-serial-0123456789xyz")) {
            header(BlkDevice.T_GET_ID, 0);
            drv.addOut(hdr, 16).addIn(data, 20).addIn(status, 1).submit(1);
            assertEquals(21, run(blk));
            byte[] id = new byte[20];
            mem.read(data, id, 0, 20);
            assertArrayEquals("avps-serial-01234567".getBytes(), id, "truncated to 20 bytes");
            header(99, 0);
            drv.addOut(hdr, 16).addIn(status, 1).submit(2);
            run(blk);
            assertEquals(BlkDevice.S_UNSUPP, status());
            ByteBuffer seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putInt(2).putInt(0);
            mem.write(data, seg.array(), 0, 16);
            header(BlkDevice.T_WRITE_ZEROES, 0);
            drv.addOut(hdr, 16).addOut(data, 16).addIn(status, 1).submit(3);
            run(blk);
            assertEquals(BlkDevice.S_OK, status());
        }
        byte[] onDisk = Files.readAllBytes(image);
        assertEquals(0, onDisk[512]);
        assertEquals(0, onDisk[3 * 512 - 1]);
        assertEquals(4, onDisk[3 * 512], "zeroing stops after two sectors");
    }

    @Test
    void configSpaceCarriesCapacityAndLimits() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            byte[] cfg = new byte[blk.configSize()];
            blk.readConfig(0, cfg);
            ByteBuffer c = ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(8, c.getLong(0), "capacity in sectors");
            assertEquals(512, c.getInt(20), "blk_size");
            byte[] tail = new byte[4];
            blk.readConfig(20, tail);
            assertEquals(512, ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt());
        }
    }

    @Test
    void theDriverCanTurnTheWriteCacheOffAndOnAgain() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            assertTrue((blk.features() & BlkFeatures.CONFIG_WCE) != 0);
            assertEquals(1, writeback(blk), "starts as a write-back cache");
            byte[] payload = new byte[512];
            mem.write(data, payload, 0, 512);

            header(BlkDevice.T_OUT, 1);
            drv.addOut(hdr, 16).addOut(data, 512).addIn(status, 1).submit(1);
            run(blk);
            assertEquals(0, blk.syncs(), "write-back: a write alone is not synced");

            blk.writeConfig(WRITEBACK, new byte[] {0});
            assertTrue(blk.writeThrough());
            assertEquals(0, writeback(blk));
            header(BlkDevice.T_OUT, 2);
            drv.addOut(hdr, 16).addOut(data, 512).addIn(status, 1).submit(2);
            run(blk);
            assertEquals(BlkDevice.S_OK, status());
            assertEquals(1, blk.syncs(), "write-through: synced before it completes");
            assertEquals(1, blk.writeThroughWrites());

            blk.writeConfig(WRITEBACK, new byte[] {1});
            header(BlkDevice.T_OUT, 3);
            drv.addOut(hdr, 16).addOut(data, 512).addIn(status, 1).submit(3);
            run(blk);
            assertEquals(1, blk.syncs());

            blk.writeConfig(WRITEBACK, new byte[] {0});
            blk.reset();
            assertEquals(1, writeback(blk), "a reset brings write-back back");
        }
    }

    @Test
    void aConfigWriteChangesNothingButTheWriteCache() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            byte[] before = new byte[blk.configSize()];
            blk.readConfig(0, before);
            byte[] junk = new byte[blk.configSize()];
            java.util.Arrays.fill(junk, (byte) 0x7f);
            blk.writeConfig(0, junk);
            byte[] after = new byte[blk.configSize()];
            blk.readConfig(0, after);
            assertEquals(1, after[WRITEBACK], "any non-zero writeback means write-back");
            after[WRITEBACK] = before[WRITEBACK];
            assertArrayEquals(before, after, "capacity, limits and the rest are the device's");
            assertEquals(1, blk.config().ignoredWrites(), "the write's other bytes were dropped and counted");
        }
    }

    @Test
    void aReadOnlyDiskHasNoWriteCacheToSwitch() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, true, "s")) {
            assertEquals(0, blk.features() & BlkFeatures.CONFIG_WCE);
            blk.writeConfig(WRITEBACK, new byte[] {0});
            assertEquals(false, blk.writeThrough());
            assertEquals(1, writeback(blk), "without CONFIG_WCE writeback is not the driver's to write");
            assertEquals(1, blk.config().ignoredWrites());
        }
    }

    @Test
    void withoutFlushNegotiatedWritesAreWriteThroughAndWritebackStartsAtZero() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            blk.featuresNegotiated(BlkDevice.VERSION_1 | BlkFeatures.CONFIG_WCE);
            assertEquals(0, writeback(blk), "CONFIG_WCE without FLUSH: writeback starts at 0 (5.2.5.2)");
            assertTrue(blk.writeThrough());
            mem.write(data, new byte[512], 0, 512);
            header(BlkDevice.T_OUT, 1);
            drv.addOut(hdr, 16).addOut(data, 512).addIn(status, 1).submit(1);
            run(blk);
            assertEquals(BlkDevice.S_OK, status());
            assertEquals(1, blk.syncs(), "the write is stable when it completes");
            blk.writeConfig(WRITEBACK, new byte[] {1});
            blk.reset();
            assertEquals(0, writeback(blk), "a reset returns to the mode the negotiation chose");

            blk.featuresNegotiated(BlkDevice.VERSION_1);
            assertTrue(blk.writeThrough(), "FLUSH offered but declined: completion must mean stable (5.2.6.2)");

            blk.featuresNegotiated(BlkDevice.VERSION_1 | BlkFeatures.FLUSH | BlkFeatures.CONFIG_WCE);
            assertEquals(1, writeback(blk), "with FLUSH the cache starts write-back");
            assertEquals(false, blk.writeThrough());
        }
    }

    /** One range request of one segment over sectors 1..2 with {@code flags}; returns the status. */
    private byte range(BlkDevice blk, int type, int flags, int id) throws Exception {
        ByteBuffer seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putInt(2).putInt(flags);
        mem.write(data, seg.array(), 0, 16);
        header(type, 0);
        drv.addOut(hdr, 16).addOut(data, 16).addIn(status, 1).submit(id);
        run(blk);
        return status();
    }

    @Test
    void rangeFlagsTheSpecDoesNotAllowAreUnsuppAndLeaveTheDiskAlone() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "s")) {
            assertEquals(BlkDevice.S_UNSUPP, range(blk, BlkDevice.T_DISCARD, BlkDevice.F_UNMAP, 1), "unmap on a discard");
            assertEquals(BlkDevice.S_UNSUPP, range(blk, BlkDevice.T_DISCARD, 1 << 1, 2), "an undefined flag");
            assertEquals(BlkDevice.S_UNSUPP, range(blk, BlkDevice.T_WRITE_ZEROES, 1 << 31, 3), "an undefined flag");
            assertEquals(2, Files.readAllBytes(image)[512], "nothing was zeroed");
            assertEquals(BlkDevice.S_OK, range(blk, BlkDevice.T_WRITE_ZEROES, BlkDevice.F_UNMAP, 4),
                    "unmap is write zeroes' own flag");
        }
        byte[] onDisk = Files.readAllBytes(image);
        assertEquals(0, onDisk[512]);
        assertEquals(0, onDisk[3 * 512 - 1]);
        assertEquals(4, onDisk[3 * 512]);
    }

    private static int writeback(BlkDevice blk) {
        byte[] b = new byte[1];
        blk.readConfig(WRITEBACK, b);
        return b[0];
    }
}
