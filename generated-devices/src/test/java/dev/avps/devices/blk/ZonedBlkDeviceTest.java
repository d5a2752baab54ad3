package dev.avps.devices.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.blk.BlkFeatures;
import dev.avps.generated.blk.VirtioBlkType;
import dev.avps.generated.blk.VirtioBlkZonedModel;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blk backend in zoned mode, driven through descriptor chains: what a driver sees of its zones. */
class ZonedBlkDeviceTest {
    static final long ZONED_FEATURES = BlkFeatures.VERSION_1 | BlkFeatures.ZONED | BlkFeatures.FLUSH;
    /** 8 zones of 64 sectors: zone 0 conventional, 4 KiB granularity (8 sectors), appends up to 16 sectors. */
    static final ZonedOptions OPTIONS = ZonedOptions.parse("zone-sectors=64,conventional=1,max-open=2,max-active=3,"
            + "max-append=16,granularity=4096");

    @TempDir
    Path dir;

    Path image;
    LoopbackDriver loop;
    GuestMemory mem;
    DriverQueue drv;
    long hdr;
    long data;
    long in;

    @BeforeEach
    void setUp() throws Exception {
        image = dir.resolve("zoned.img");
        byte[] stale = new byte[8 * 64 * 512];
        Arrays.fill(stale, (byte) 0x77); // what an earlier user left: must never show past a write pointer
        Files.write(image, stale);
        loop = new LoopbackDriver();
        mem = loop.memory();
        drv = loop.driver();
        hdr = loop.data();
        data = hdr + 64;
        in = data + 16384;
    }

    BlkDevice device() throws Exception {
        BlkDevice blk = new BlkDevice(image, false, "z", OPTIONS);
        blk.featuresNegotiated(ZONED_FEATURES);
        return blk;
    }

    void header(long type, long sector) {
        byte[] b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) type).putInt(0).putLong(sector)
                .array();
        mem.write(hdr, b, 0, 16);
    }

    byte status(BlkDevice blk, int statusAt) throws Exception {
        loop.serve(blk, 0);
        return mem.readByte(in + statusAt);
    }

    byte manage(BlkDevice blk, long type, long sector) throws Exception {
        header(type, sector);
        drv.addOut(hdr, 16).addIn(in, 1).submit(1);
        return status(blk, 0);
    }

    byte write(BlkDevice blk, long sector, int sectors, byte fill) throws Exception {
        byte[] b = new byte[sectors * 512];
        Arrays.fill(b, fill);
        mem.write(data, b, 0, b.length);
        header(VirtioBlkType.VIRTIO_BLK_T_OUT, sector);
        drv.addOut(hdr, 16).addOut(data, b.length).addIn(in, 1).submit(1);
        return status(blk, 0);
    }

    byte read(BlkDevice blk, long sector, int sectors) throws Exception {
        header(VirtioBlkType.VIRTIO_BLK_T_IN, sector);
        drv.addOut(hdr, 16).addIn(in, sectors * 512).addIn(in + sectors * 512, 1).submit(1);
        return status(blk, sectors * 512);
    }

    /** Reports from {@code sector} into a buffer with room for {@code descriptors}; returns the status. */
    byte report(BlkDevice blk, long sector, int descriptors) throws Exception {
        header(VirtioBlkType.VIRTIO_BLK_T_ZONE_REPORT, sector);
        int room = 64 + descriptors * 64;
        drv.addOut(hdr, 16).addIn(in, room).addIn(in + room, 1).submit(1);
        return status(blk, room);
    }

    long u64(long at) {
        byte[] b = new byte[8];
        mem.read(at, b, 0, 8);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void theConfigShowsTheZonedBlockOnlyWhileZonedIsAccepted() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "z", OPTIONS)) {
            assertTrue((blk.features() & BlkFeatures.ZONED) != 0);
            assertEquals(0, blk.features() & (BlkFeatures.DISCARD | BlkFeatures.WRITE_ZEROES),
                    "a host-managed disk offers no discard");
            assertEquals(64, blk.config().zoned().zoneSectors());
            assertEquals(VirtioBlkZonedModel.VIRTIO_BLK_Z_HM, blk.config().zoned().model());
            assertEquals(4096, blk.config().zoned().writeGranularity());
            assertFalse(blk.acceptsFeatures(BlkFeatures.VERSION_1 | BlkFeatures.FLUSH),
                    "a host-managed disk refuses a driver that declined ZONED");
            assertTrue(blk.acceptsFeatures(ZONED_FEATURES));
            blk.featuresNegotiated(BlkFeatures.VERSION_1);
            assertEquals(0, blk.config().zoned().zoneSectors());
            blk.reset();
            blk.featuresNegotiated(ZONED_FEATURES);
            assertEquals(2, blk.config().zoned().maxOpenZones());
            assertEquals(3, blk.config().zoned().maxActiveZones());
            assertEquals(16, blk.config().zoned().maxAppendSectors());
        }
        try (BlkDevice none = new BlkDevice(image, false, "z", ZonedOptions.parse("model=none"))) {
            assertTrue((none.features() & BlkFeatures.ZONED) != 0);
            assertTrue(none.acceptsFeatures(BlkFeatures.VERSION_1), "a drive-managed disk goes on without ZONED");
            assertEquals(0, none.config().zoned().model());
        }
        assertThrows(IllegalArgumentException.class, () -> new BlkDevice(image, true, "z", OPTIONS));
    }

    @Test
    void aReportListsWholeDescriptorsFromTheZoneHoldingTheSector() throws Exception {
        try (BlkDevice blk = device()) {
            assertEquals(ZoneTable.OK, write(blk, 64, 8, (byte) 1));
            assertEquals(ZoneTable.OK, report(blk, 64 + 5, 3));
            assertEquals(3, u64(in), "nr_zones");
            long d = in + 64;
            assertEquals(64, u64(d), "z_cap");
            assertEquals(64, u64(d + 8), "z_start");
            assertEquals(72, u64(d + 16), "z_wp after one granule");
            assertEquals(ZoneTable.SWR, mem.readByte(d + 24));
            assertEquals(ZoneTable.IOPEN, mem.readByte(d + 25));
            assertEquals(128, u64(d + 64 + 8), "the next zone follows");
            assertEquals(ZoneTable.OK, report(blk, 0, 20));
            assertEquals(8, u64(in), "only as many zones as there are");
            assertEquals(ZoneTable.CONV, mem.readByte(in + 64 + 24));
            assertEquals(ZoneTable.NOT_WP, mem.readByte(in + 64 + 25));
            assertEquals(ZoneTable.IOERR, report(blk, 8 * 64, 1), "no zone starts at the capacity");
        }
    }

    @Test
    void appendsReturnWhereTheyLandedAndReadsShowNothingPastTheWritePointer() throws Exception {
        try (BlkDevice blk = device()) {
            assertEquals(ZoneTable.OK, write(blk, 128, 8, (byte) 0x11));
            byte[] b = new byte[8 * 512];
            Arrays.fill(b, (byte) 0x22);
            mem.write(data, b, 0, b.length);
            header(VirtioBlkType.VIRTIO_BLK_T_ZONE_APPEND, 128);
            drv.addOut(hdr, 16).addOut(data, b.length).addIn(in, 8).addIn(in + 8, 1).submit(1);
            assertEquals(9, loop.serve(blk, 0), "the append sector and the status");
            assertEquals(ZoneTable.OK, mem.readByte(in + 8));
            assertEquals(136, u64(in));
            assertEquals(ZoneTable.OK, read(blk, 128, 24));
            assertEquals(0x11, mem.readByte(in));
            assertEquals(0x22, mem.readByte(in + 8 * 512));
            assertEquals(0, mem.readByte(in + 16 * 512), "the unwritten sectors read as zeros, not the stale image");
            assertEquals(0, mem.readByte(in + 24 * 512 - 1));
            assertEquals(ZoneTable.INVALID, read(blk, 128 + 60, 8), "a read may not span two sequential zones");
            assertEquals(ZoneTable.OK, read(blk, 0, 2), "the conventional zone reads the image as it is");
            assertEquals(0x77, mem.readByte(in));
        }
    }

    @Test
    void managementRequestsMoveTheZoneAndWrongWritesGetZoneStatuses() throws Exception {
        try (BlkDevice blk = device()) {
            assertEquals(ZoneTable.OK, manage(blk, VirtioBlkType.VIRTIO_BLK_T_ZONE_OPEN, 192));
            assertEquals(ZoneTable.EOPEN, blk.zoneState(192));
            assertEquals(ZoneTable.UNALIGNED, write(blk, 200, 8, (byte) 3), "ahead of the write pointer");
            assertEquals(ZoneTable.OK, manage(blk, VirtioBlkType.VIRTIO_BLK_T_ZONE_FINISH, 192));
            assertEquals(ZoneTable.FULL, blk.zoneState(192));
            assertEquals(ZoneTable.INVALID, write(blk, 192, 8, (byte) 3), "a full zone");
            assertEquals(ZoneTable.INVALID, manage(blk, VirtioBlkType.VIRTIO_BLK_T_ZONE_RESET, 0), "conventional");
            assertEquals(ZoneTable.OK, manage(blk, VirtioBlkType.VIRTIO_BLK_T_ZONE_RESET_ALL, 0));
            assertEquals(ZoneTable.EMPTY, blk.zoneState(192));
        }
    }

    byte erase(BlkDevice blk, long sector, long sectors, int flags) throws Exception {
        byte[] seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sector).putInt((int) sectors)
                .putInt(flags).array();
        mem.write(data, seg, 0, 16);
        header(VirtioBlkType.VIRTIO_BLK_T_SECURE_ERASE, 0);
        drv.addOut(hdr, 16).addOut(data, 16).addIn(in, 1).submit(1);
        return status(blk, 0);
    }

    @Test
    void aSecureEraseResetsWholeZonesAndWipesTheirData() throws Exception {
        try (BlkDevice blk = device()) {
            assertEquals(64, blk.config().secureEraseSectorAlignment());
            assertEquals(ZoneTable.OK, write(blk, 64, 8, (byte) 9));
            assertEquals(ZoneTable.IOERR, erase(blk, 64, 8, 0), "part of a zone");
            assertEquals(ZoneTable.UNSUPP, erase(blk, 64, 64, 2), "an undefined flag");
            assertEquals(ZoneTable.IOPEN, blk.zoneState(64), "refused erases change nothing");
            assertEquals(ZoneTable.OK, erase(blk, 64, 64, 0));
            assertEquals(ZoneTable.EMPTY, blk.zoneState(64));
            assertEquals(ZoneTable.OK, erase(blk, 0, 64, 0), "the conventional zone is wiped");
            assertEquals(ZoneTable.NOT_WP, blk.zoneState(0));
        }
        byte[] onDisk = Files.readAllBytes(image);
        assertEquals(0, onDisk[64 * 512], "the erased zone's old data is gone from the image");
        assertEquals(0, onDisk[0]);
        assertEquals(0x77, onDisk[128 * 512], "the next zone is untouched");
    }

    @Test
    void zoneRequestsAreUnsupportedWithoutZonedOrOnADriveManagedDisk() throws Exception {
        try (BlkDevice blk = new BlkDevice(image, false, "z", OPTIONS)) {
            blk.featuresNegotiated(BlkFeatures.VERSION_1);
            assertEquals(ZoneTable.UNSUPP, manage(blk, VirtioBlkType.VIRTIO_BLK_T_ZONE_OPEN, 64));
            assertEquals(ZoneTable.UNSUPP, report(blk, 0, 1));
        }
        try (BlkDevice none = new BlkDevice(image, false, "z", ZonedOptions.parse("model=none"))) {
            none.featuresNegotiated(ZONED_FEATURES);
            assertEquals(ZoneTable.UNSUPP, report(none, 0, 1));
            assertEquals(ZoneTable.OK, write(none, 72, 1, (byte) 5), "any sector takes a write");
            assertEquals(ZoneTable.OK, write(none, 64, 1, (byte) 5));
        }
    }
}
