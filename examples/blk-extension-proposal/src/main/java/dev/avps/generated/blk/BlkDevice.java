package dev.avps.generated.blk;

import dev.avps.runtime.VirtqueueException;
import java.util.BitSet;

/**
 * A RAM disk that serves the proposed VERIFY request next to read, write and flush: the hand-written
 * half of the blk device grown by {@code blk-verify.avps}. Sectors marked bad fail reads and make
 * a VERIFY covering them report an I/O error; every other request type completes as unsupported.
 */
public final class BlkDevice extends BlkDeviceBase {

    /** Bytes per sector: the unit of every sector number. */
    public static final int SECTOR = 512;

    private final byte[] disk;
    private final BitSet bad = new BitSet();
    private final int maxVerifySectors;

    public BlkDevice(int sectors, int maxVerifySectors) {
        super(BlkFeatures.FLUSH | BlkFeatures.VERIFY);
        this.disk = new byte[sectors * SECTOR];
        this.maxVerifySectors = maxVerifySectors;
        config().capacity(sectors).maxVerifySectors(maxVerifySectors);
    }

    /** Makes a sector unreadable, as a failing medium would. */
    public void markBad(long sector) {
        bad.set((int) sector);
    }

    private boolean inRange(long sector, long count) {
        return sector >= 0 && count >= 0 && sector + count <= disk.length / SECTOR;
    }

    @Override
    protected int onVerify(VerifyRequest request) throws VirtqueueException {
        VirtioBlkVerifyRange range = request.readable().range();
        long sector = range.sector();
        long count = range.numSectors();
        int status;
        if (!inRange(sector, count) || count > maxVerifySectors) {
            status = VirtioBlkStatus.VIRTIO_BLK_S_IOERR;
        } else {
            int firstBad = bad.nextSetBit((int) sector);
            status = firstBad >= 0 && firstBad < sector + count ? VirtioBlkStatus.VIRTIO_BLK_S_IOERR
                    : VirtioBlkStatus.VIRTIO_BLK_S_OK;
        }
        request.writable().status(status);
        return 1;
    }

    @Override
    protected int onRead(ReadRequest request) throws VirtqueueException {
        long sector = request.readable().header().sector();
        ReadRequest.Writable w = request.writable();
        long bytes = w.dataBytes();
        if (bytes % SECTOR != 0 || !inRange(sector, bytes / SECTOR)
                || bad.nextSetBit((int) sector) >= 0 && bad.nextSetBit((int) sector) < sector + bytes / SECTOR) {
            w.status(VirtioBlkStatus.VIRTIO_BLK_S_IOERR);
            return 1;
        }
        request.chain().copyToWritable(w.dataOffset(), disk, (int) (sector * SECTOR), (int) bytes);
        w.status(VirtioBlkStatus.VIRTIO_BLK_S_OK);
        return (int) bytes + 1;
    }

    @Override
    protected int onWrite(WriteRequest request) throws VirtqueueException {
        WriteRequest.Readable r = request.readable();
        long sector = r.header().sector();
        long bytes = r.dataBytes();
        int status = VirtioBlkStatus.VIRTIO_BLK_S_IOERR;
        if (bytes % SECTOR == 0 && inRange(sector, bytes / SECTOR)) {
            request.chain().copyFromReadable(r.dataOffset(), disk, (int) (sector * SECTOR), (int) bytes);
            bad.clear((int) sector, (int) (sector + bytes / SECTOR));
            status = VirtioBlkStatus.VIRTIO_BLK_S_OK;
        }
        request.writable().status(status);
        return 1;
    }

    @Override
    protected int onFlush(FlushRequest request) throws VirtqueueException {
        request.writable().status(VirtioBlkStatus.VIRTIO_BLK_S_OK);
        return 1;
    }

    @Override
    protected int onGetId(GetIdRequest request) throws VirtqueueException {
        return unsupported(request.writableBytes(), request.chain());
    }

    @Override
    protected int onRanges(RangesRequest request) throws VirtqueueException {
        return unsupported(request.writableBytes(), request.chain());
    }

    @Override
    protected int onScsiCmd(ScsiCmdRequest request) throws VirtqueueException {
        return unsupported(request.writableBytes(), request.chain());
    }

    @Override
    protected int onGetLifetime(GetLifetimeRequest request) throws VirtqueueException {
        return unsupported(request.writableBytes(), request.chain());
    }

    @Override
    protected int onZoneReport(ZoneReportRequest request) throws VirtqueueException {
        return unsupported(request.writableBytes(), request.chain());
    }

    @Override
    protected int onZoneMgmt(ZoneMgmtRequest request) throws VirtqueueException {
        return unsupported(request.writableBytes(), request.chain());
    }

    @Override
    protected int onZoneAppend(ZoneAppendRequest request) throws VirtqueueException {
        return unsupported(request.writableBytes(), request.chain());
    }

    /** The status byte is the last writable byte of every blk request. */
    private static int unsupported(int writable, dev.avps.runtime.DescriptorChain chain) throws VirtqueueException {
        if (writable < 1) {
            return 0;
        }
        chain.writeByte(writable - 1, (byte) VirtioBlkStatus.VIRTIO_BLK_S_UNSUPP);
        return writable;
    }
}
