package dev.avps.generated.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.transport.LoopbackTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The grown blk device driven like a guest driver would: real chains on a loopback queue. */
class BlkDeviceTest {

    BlkDevice disk;
    LoopbackTransport t;

    @BeforeEach
    void setUp() throws VirtqueueException {
        disk = new BlkDevice(64, 16);
        disk.featuresNegotiated(disk.features());
        t = LoopbackTransport.create(BlkFeatures.VERSION_1, 8, 0, 1 << 16, false);
    }

    /** Sends a request (header, optional readable payload, optional data in) and returns the status byte. */
    int send(long type, long sector, byte[] payload, int dataIn) throws VirtqueueException {
        long hdr = t.dataBase();
        long body = hdr + 64;
        long data = hdr + 4096;
        long status = hdr + 32768;
        byte[] h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) type).putInt(0)
                .putLong(sector).array();
        t.memory().write(hdr, h, 0, h.length);
        t.memory().writeByte(status, (byte) 0x7f);
        var chain = t.driver().addOut(hdr, 16);
        if (payload != null) {
            t.memory().write(body, payload, 0, payload.length);
            chain = chain.addOut(body, payload.length);
        }
        if (dataIn > 0) {
            chain = chain.addIn(data, dataIn);
        }
        chain.addIn(status, 1).submit(type);
        DescriptorChain c = t.device().newChain();
        assertTrue(t.device().pop(c));
        int used = disk.handle(disk.queueIndex(BlkDeviceBase.Q_REQUESTQ, 0), c);
        t.device().addUsed(c, used);
        t.device().flushUsed();
        assertTrue(t.driver().pollUsed(new Completion()));
        return t.memory().readByte(status);
    }

    int verify(long sector, int sectors) throws VirtqueueException {
        byte[] range = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sector).putInt(sectors).putInt(0)
                .array();
        return send(VirtioBlkType.VIRTIO_BLK_T_VERIFY, 0, range, 0);
    }

    @Test
    void theProposalsBitAndConfigFieldAreOfferedAfterBlksOwn() {
        assertTrue((disk.features() & BlkFeatures.VERIFY) != 0);
        assertEquals(1L << 18, BlkFeatures.VERIFY);
        byte[] cfg = new byte[disk.configSize()];
        disk.readConfig(0, cfg);
        ByteBuffer b = ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(64, b.getLong(0), "blk's capacity, where the catalog puts it");
        assertEquals(96, disk.configSize() - 4, "max_verify_sectors is appended after blk's 96 bytes");
        assertEquals(16, b.getInt(96));
    }

    @Test
    void verifyChecksTheRangeWithoutMovingData() throws Exception {
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_OK, verify(0, 16));
        disk.markBad(10);
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_IOERR, verify(8, 4), "a bad sector inside the range");
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_OK, verify(11, 4), "a range past it");
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_IOERR, verify(0, 17), "more than max_verify_sectors");
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_IOERR, verify(60, 8), "past the end of the disk");
        // Rewriting the sector repairs it.
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_OK,
                send(VirtioBlkType.VIRTIO_BLK_T_OUT, 10, new byte[BlkDevice.SECTOR], 0));
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_OK, verify(8, 4));
    }

    @Test
    void blksOwnRequestsStillWork() throws Exception {
        byte[] sector = new byte[BlkDevice.SECTOR];
        sector[0] = 42;
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_OK, send(VirtioBlkType.VIRTIO_BLK_T_OUT, 3, sector, 0));
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_OK, send(VirtioBlkType.VIRTIO_BLK_T_IN, 3, null, BlkDevice.SECTOR));
        assertEquals(42, t.memory().readByte(t.dataBase() + 4096));
        assertEquals(VirtioBlkStatus.VIRTIO_BLK_S_UNSUPP, send(VirtioBlkType.VIRTIO_BLK_T_GET_ID, 0, null, 20));
    }

    @Test
    void theDriverCannotRaiseMaxVerifySectors() {
        disk.writeConfig(96, new byte[] {(byte) 0xff, 0, 0, 0});
        assertEquals(16, disk.config().maxVerifySectors(), "a read-only field: the write is dropped");
        assertEquals(1, disk.config().ignoredWrites());
    }
}
