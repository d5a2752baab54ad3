package dev.avps.devices.blk;

import dev.avps.generated.blk.BlkConstants;
import dev.avps.generated.blk.BlkDeviceBase;
import dev.avps.generated.blk.BlkFeatures;
import dev.avps.generated.blk.FlushRequest;
import dev.avps.generated.blk.GetIdRequest;
import dev.avps.generated.blk.GetLifetimeRequest;
import dev.avps.generated.blk.RangesRequest;
import dev.avps.generated.blk.ReadRequest;
import dev.avps.generated.blk.ScsiCmdRequest;
import dev.avps.generated.blk.VirtioBlkStatus;
import dev.avps.generated.blk.VirtioBlkType;
import dev.avps.generated.blk.VirtioBlkZonedModel;
import dev.avps.generated.blk.WriteRequest;
import dev.avps.generated.blk.ZoneAppendRequest;
import dev.avps.generated.blk.ZoneMgmtRequest;
import dev.avps.generated.blk.ZoneReportRequest;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.FeatureSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * virtio-blk (device ID 2) over an image file: read, write, flush, get-id, discard and
 * write-zeroes, a read-only mode, and a write cache the driver may switch to write-through
 * (CONFIG_WCE); optionally zoned (ZONED, host-managed, zones kept by {@link ZoneTable} and served
 * by {@link ZoneRequests}). Features, configuration layout and the dispatch of each
 * request type come from {@link BlkDeviceBase}, generated from spec-models' blk.avps; this class
 * holds the logic. Every request is checked against the image's size before any byte moves; a
 * bad request gets IOERR or UNSUPP in its status byte, never an exception.
 */
public final class BlkDevice extends BlkDeviceBase implements AutoCloseable {

    static final int SECTOR = 512;
    // Wire values come from the catalog through the generated classes, not retyped here.
    static final int T_IN = (int) VirtioBlkType.VIRTIO_BLK_T_IN;
    static final int T_OUT = (int) VirtioBlkType.VIRTIO_BLK_T_OUT;
    static final int T_FLUSH = (int) VirtioBlkType.VIRTIO_BLK_T_FLUSH;
    static final int T_GET_ID = (int) VirtioBlkType.VIRTIO_BLK_T_GET_ID;
    static final int T_DISCARD = (int) VirtioBlkType.VIRTIO_BLK_T_DISCARD;
    static final int T_WRITE_ZEROES = (int) VirtioBlkType.VIRTIO_BLK_T_WRITE_ZEROES;
    static final byte S_OK = (byte) VirtioBlkStatus.VIRTIO_BLK_S_OK;
    static final byte S_IOERR = (byte) VirtioBlkStatus.VIRTIO_BLK_S_IOERR;
    static final byte S_UNSUPP = (byte) VirtioBlkStatus.VIRTIO_BLK_S_UNSUPP;
    static final int F_UNMAP = (int) BlkConstants.VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP;

    static final long F_RO = BlkFeatures.RO;
    static final long VERSION_1 = BlkFeatures.VERSION_1;
    static final int ID_BYTES = (int) BlkConstants.VIRTIO_BLK_ID_BYTES;
    static final int SEG_MAX = 126;
    static final int MAX_RANGE_SEGMENTS = 1;
    static final int MAX_RANGE_SECTORS = 1 << 16;

    private final FileChannel image;
    private final boolean readOnly;
    /** The zoned layout when ZONED is offered, else null. */
    private final ZonedOptions zoned;
    /** The zones of a host-managed disk, else null (also for the drive-managed "none" model). */
    private final ZoneTable zones;
    private final ZoneRequests zoneRequests;
    private final long sectors;
    private final byte[] id;
    private final byte[] header = new byte[16];
    private final ByteBuffer headerView = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] zeros = new byte[64 * 1024];
    /**
     * A request's data segments for one vectored read or write; grows to the longest chain seen
     * (the ring bounds that). Only the queue's worker thread uses it, and it is cleared after each
     * request so no view of guest memory outlives its request.
     */
    private ByteBuffer[] segments = new ByteBuffer[SEG_MAX + 2];
    /**
     * The driver turned the write cache off (writeback = 0): each write is made durable before it
     * completes. Set from the vhost-user session's thread, read by the queue's worker.
     */
    private volatile boolean writeThrough;
    /** The cache mode the last feature negotiation chose; a reset returns to it. */
    private volatile boolean initialWriteThrough;
    /** fdatasync calls made so far: what a test can see of durability. */
    private long syncs;
    /** Writes made durable before completing because the driver chose write-through. */
    private volatile long writeThroughWrites;
    /** End of the highest guest buffer a read or write moved data through (worker thread only). */
    private volatile long highestDataAddress;

    public BlkDevice(Path imageFile, boolean readOnly, String serial) throws IOException {
        this(imageFile, readOnly, serial, null);
    }

    /**
     * A disk that offers ZONED when {@code zoned} is given (writable only). A host-managed disk
     * offers neither DISCARD nor WRITE_ZEROES: a driver may not take DISCARD from it (5.2.5.1),
     * and zeroing ranges past the zones' write pointers would bypass the zone rules. SIZE_MAX is
     * offered so that max_append_sectors has the bound 5.2.5.2 measures it against; SECURE_ERASE
     * takes whole zones and resets them.
     */
    public BlkDevice(Path imageFile, boolean readOnly, String serial, ZonedOptions zoned) throws IOException {
        super(features(readOnly, zoned));
        if (zoned != null && readOnly) {
            throw new IllegalArgumentException("a zoned disk is writable: its zones move only by writes");
        }
        this.readOnly = readOnly;
        this.zoned = zoned;
        this.image = readOnly ? FileChannel.open(imageFile, StandardOpenOption.READ)
                : FileChannel.open(imageFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.sectors = image.size() / SECTOR;
        this.zones = zoned != null && zoned.hostManaged() ? new ZoneTable(sectors, zoned) : null;
        this.zoneRequests = zones != null ? new ZoneRequests(zones) : null;
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        this.id = new byte[Math.min(ID_BYTES, s.length)];
        System.arraycopy(s, 0, id, 0, id.length);
        publishConfig();
    }

    private static long features(boolean readOnly, ZonedOptions zoned) {
        long f = BlkFeatures.SEG_MAX | BlkFeatures.BLK_SIZE | BlkFeatures.FLUSH;
        if (readOnly) {
            return f | BlkFeatures.RO;
        }
        if (zoned == null) {
            return f | BlkFeatures.DISCARD | BlkFeatures.WRITE_ZEROES | BlkFeatures.CONFIG_WCE;
        }
        return f | BlkFeatures.CONFIG_WCE | BlkFeatures.ZONED | (zoned.hostManaged()
                ? BlkFeatures.SIZE_MAX | BlkFeatures.SECURE_ERASE : BlkFeatures.DISCARD | BlkFeatures.WRITE_ZEROES);
    }

    /** Bytes per data segment a zoned disk announces in size_max. */
    static final int SIZE_MAX = 1 << 20;

    /**
     * Fills the whole config space from the device's own state. Driver writes cannot disturb it:
     * the generated base lets them land in writeback alone (the spec's only driver-writable blk
     * field, and only with CONFIG_WCE).
     */
    private void publishConfig() {
        Arrays.fill(config().bytes(), (byte) 0);
        config().capacity(sectors).segMax(SEG_MAX).blkSize(SECTOR)
                .maxDiscardSectors(MAX_RANGE_SECTORS).maxDiscardSeg(MAX_RANGE_SEGMENTS).discardSectorAlignment(1)
                .maxWriteZeroesSectors(MAX_RANGE_SECTORS).maxWriteZeroesSeg(MAX_RANGE_SEGMENTS)
                .writeback(writeThrough ? 0 : 1);
        // The zoned block reads zero unless ZONED is (or may still be) accepted: 5.2.5.2 asks that of
        // a disk that goes on without it; a host-managed one refuses FEATURES_OK instead.
        boolean zonedShown = negotiatedFeatures().isEmpty() || (negotiated() & BlkFeatures.ZONED) != 0;
        if (zones != null) {
            // Secure erase works on whole zones (5.2.6.2): one zone per request, aligned to zones.
            config().sizeMax(SIZE_MAX).maxSecureEraseSectors(zoned.zoneSectors()).maxSecureEraseSeg(1)
                    .secureEraseSectorAlignment(zoned.zoneSectors());
            if (zonedShown) {
                config().zoned().zoneSectors(zoned.zoneSectors()).maxOpenZones(zoned.maxOpenZones())
                        .maxActiveZones(zoned.maxActiveZones()).maxAppendSectors(zoned.maxAppendSectors())
                        .writeGranularity(zoned.writeGranularity()).model(VirtioBlkZonedModel.VIRTIO_BLK_Z_HM);
            }
        }
    }

    @Override
    public void featuresNegotiated(FeatureSet features) {
        super.featuresNegotiated(features);
        publishConfig();
    }

    /** A host-managed disk cannot serve a driver that declined ZONED (5.2.5.2): FEATURES_OK is refused. */
    @Override
    public boolean acceptsFeatures(long features) {
        return zones == null || (features & BlkFeatures.ZONED) != 0;
    }

    /** The state of the zone holding {@code sector} (tests look at the zones through this). */
    int zoneState(long sector) {
        return zones.zoneOf(sector).state;
    }

    private boolean zonedNegotiated() {
        return (negotiated() & BlkFeatures.ZONED) != 0;
    }

    /** The driver switched the write cache through writeback, the one field its writes reach. */
    @Override
    protected void configWritten(int offset, int length) {
        writeThrough = config().writeback() == 0;
        // Reading writeback tells the driver the mode in use, so any non-zero value reads back as 1.
        config().writeback(writeThrough ? 0 : 1);
    }

    /**
     * The cache mode follows what the driver can do about it. Without FLUSH negotiated the driver
     * has no way to make a write stable but its completion (5.2.6.2: a write is stable on
     * completion when FLUSH was offered and neither it nor CONFIG_WCE accepted), and with
     * CONFIG_WCE but not FLUSH writeback must start at 0 (5.2.5.2): write-through either way.
     * With FLUSH the device starts write-back, as before any negotiation.
     */
    @Override
    public void featuresNegotiated(long features) {
        super.featuresNegotiated(features);
        initialWriteThrough = !readOnly && (features & BlkFeatures.FLUSH) == 0;
        writeThrough = initialWriteThrough;
        config().writeback(writeThrough ? 0 : 1);
    }

    /**
     * A device reset undoes the driver's cache switch: the mode goes back to what the last
     * negotiation set (write-back before any), which is what the driver read after FEATURES_OK.
     */
    @Override
    public void reset() {
        super.reset();
        writeThrough = initialWriteThrough;
        publishConfig();
    }

    /** Whether writes are currently made durable before they complete. */
    public boolean writeThrough() {
        return writeThrough;
    }

    long syncs() {
        return syncs;
    }

    /** How many writes were synced before completion because the driver turned the cache off. */
    public long writeThroughWrites() {
        return writeThroughWrites;
    }

    /**
     * The end (exclusive) of the highest guest-physical buffer any read or write has moved data
     * through: what a test can see of where in a large guest the driver's buffers were.
     */
    public long highestDataAddress() {
        return highestDataAddress;
    }

    private void noteBuffer(long gpa, long length) {
        long end = gpa + length;
        if (Long.compareUnsigned(end, highestDataAddress) > 0) {
            highestDataAddress = end; // only the queue's worker writes it
        }
    }

    /** The type-independent frame of every request: header read, status written last. */
    private interface Body {
        /** Returns the status; adds data bytes written to {@code written[0]}. */
        byte run(DescriptorChain r, long sector, long statusAt, int[] written) throws IOException;
    }

    private final int[] written = new int[1];

    private int serve(DescriptorChain r, Body body) {
        if (r.writableBytes() < 1) {
            return 0; // nowhere to put a status: nothing can be answered
        }
        if (r.readableBytes() < 16) {
            // A header cut short names no request the device could serve: say so in the status.
            r.writeByte(r.writableBytes() - 1, S_IOERR);
            return 1;
        }
        r.copyFromReadable(0, header, 0, 16);
        long sector = headerView.getLong(8);
        long statusAt = r.writableBytes() - 1;
        written[0] = 0;
        byte status;
        try {
            status = body.run(r, sector, statusAt, written);
        } catch (IOException e) {
            status = S_IOERR;
        }
        r.writeByte(statusAt, status);
        return 1 + written[0];
    }

    @Override
    protected int onRead(ReadRequest request) {
        return serve(request.chain(), (r, sector, statusAt, out) -> {
            if (zones != null && inRange(sector, statusAt)) {
                byte z = zones.checkRead(sector, statusAt / SECTOR);
                if (z != S_OK) {
                    return z;
                }
            }
            byte status = read(r, sector, statusAt);
            if (status == S_OK && zones != null) {
                zoneRequests.fillUnwritten(r, sector, statusAt, zeros);
            }
            out[0] = status == S_OK ? (int) statusAt : 0;
            return status;
        });
    }

    @Override
    protected int onWrite(WriteRequest request) {
        return serve(request.chain(), (r, sector, statusAt, out) -> {
            long len = r.readableBytes() - 16;
            if (readOnly) {
                return S_IOERR;
            }
            if (zones == null || !inRange(sector, len)) {
                return write(r, sector, len);
            }
            byte z = zones.beginWrite(sector, len / SECTOR);
            if (z != S_OK) {
                return z;
            }
            byte status = write(r, sector, len);
            if (status == S_OK) {
                zones.wrote(sector, len / SECTOR);
            }
            return status;
        });
    }

    @Override
    protected int onFlush(FlushRequest request) {
        return serve(request.chain(), (r, sector, statusAt, out) -> flush());
    }

    @Override
    protected int onGetId(GetIdRequest request) {
        return serve(request.chain(), (r, sector, statusAt, out) -> {
            int n = (int) Math.min(ID_BYTES, statusAt);
            byte[] bytes = new byte[n];
            System.arraycopy(id, 0, bytes, 0, Math.min(n, id.length));
            r.copyToWritable(0, bytes, 0, n);
            out[0] = n;
            return S_OK;
        });
    }

    @Override
    protected int onRanges(RangesRequest request) {
        return serve(request.chain(), (r, sector, statusAt, out) -> {
            int type = headerView.getInt(0);
            if (zones != null && type == VirtioBlkType.VIRTIO_BLK_T_SECURE_ERASE) {
                return zoneRequests.secureErase(r, this::zeroSectors);
            }
            if ((type != T_DISCARD && type != T_WRITE_ZEROES) || zones != null) {
                return S_UNSUPP; // secure erase is not offered, nor ranges on a host-managed disk
            }
            return readOnly ? S_IOERR : zeroRanges(r, type);
        });
    }

    private int unsupported(DescriptorChain chain) {
        return serve(chain, (r, sector, statusAt, out) -> S_UNSUPP);
    }

    @Override
    protected int onScsiCmd(ScsiCmdRequest request) {
        return unsupported(request.chain());
    }

    @Override
    protected int onGetLifetime(GetLifetimeRequest request) {
        return unsupported(request.chain());
    }

    // Zone requests are refused with UNSUPP unless ZONED was accepted (5.2.6.2), and always by a
    // disk without zones of its own (the drive-managed "none" model).

    @Override
    protected int onZoneReport(ZoneReportRequest request) {
        if (zones == null || !zonedNegotiated()) {
            return unsupported(request.chain());
        }
        return serve(request.chain(), (r, sector, statusAt, out) -> zoneRequests.report(r, sector, statusAt, out));
    }

    @Override
    protected int onZoneMgmt(ZoneMgmtRequest request) {
        if (zones == null || !zonedNegotiated()) {
            return unsupported(request.chain());
        }
        return serve(request.chain(), (r, sector, statusAt, out) -> zoneRequests.manage(headerView.getInt(0), sector));
    }

    /** The data goes where the zone's write pointer is; the sector it landed at precedes the status. */
    @Override
    protected int onZoneAppend(ZoneAppendRequest request) {
        if (zones == null || !zonedNegotiated()) {
            return unsupported(request.chain());
        }
        return serve(request.chain(), (r, sector, statusAt, out) -> {
            long len = r.readableBytes() - 16;
            if (statusAt < 8 || !inRange(sector, len)) {
                return S_IOERR;
            }
            long at = zones.beginAppend(sector, len / SECTOR);
            if (at < 0) {
                return ZoneTable.statusOf(at);
            }
            byte status = write(r, at, len);
            if (status == S_OK) {
                zones.wrote(at, len / SECTOR);
                ZoneRequests.putAppendSector(r, statusAt - 8, at);
                out[0] = 8;
            }
            return status;
        });
    }

    /** Types the spec does not define get UNSUPP in their status byte, as the driver expects. */
    @Override
    protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) {
        return unsupported(chain);
    }

    private boolean inRange(long sector, long bytes) {
        return bytes % SECTOR == 0 && sector >= 0 && sector <= sectors && bytes / SECTOR <= sectors - sector;
    }

    /**
     * Reads the sectors straight into the guest's buffers: no copy through the Java heap, and one
     * readv per request rather than one pread per guest page (Linux hands over 4 KiB segments).
     */
    private byte read(DescriptorChain r, long sector, long len) throws IOException {
        if (!inRange(sector, len)) {
            return S_IOERR;
        }
        int n = 0;
        long done = 0;
        segmentsFor(r.writableCount());
        for (int i = 0; i < r.writableCount() && done < len; i++) {
            ByteBuffer view = r.writableView(i);
            view.limit((int) Math.min(view.limit(), len - done));
            done += view.limit();
            segments[n++] = view;
            noteBuffer(r.writableAddress(i), view.limit());
        }
        return transfer(n, sector * SECTOR, false) ? S_OK : S_IOERR;
    }

    private void segmentsFor(int count) {
        if (count > segments.length) {
            segments = new ByteBuffer[count];
        }
    }

    /** Writes the guest's data buffers (after the 16-byte header) to the image with one writev. */
    private byte write(DescriptorChain r, long sector, long len) throws IOException {
        if (!inRange(sector, len)) {
            return S_IOERR;
        }
        int n = 0;
        long seen = 0;
        segmentsFor(r.readableCount());
        for (int i = 0; i < r.readableCount(); i++) {
            ByteBuffer view = r.readableView(i);
            int skip = (int) Math.max(0, Math.min(view.limit(), 16 - seen));
            seen += view.limit();
            view.position(skip);
            if (view.hasRemaining()) {
                segments[n++] = view;
                noteBuffer(r.readableAddress(i) + skip, view.remaining());
            }
        }
        if (!transfer(n, sector * SECTOR, true)) {
            return S_IOERR;
        }
        // Write-through: the driver sends no FLUSH and takes completion to mean the data is safe.
        if (!writeThrough) {
            return S_OK;
        }
        writeThroughWrites++; // only the queue's worker writes it
        return flush();
    }

    /**
     * Moves {@code segments[0..n)} to or from the image at {@code pos} with as few vectored calls
     * as the kernel allows; false if the image ends first. The segments are cleared either way.
     */
    private boolean transfer(int n, long pos, boolean write) throws IOException {
        image.position(pos);
        try {
            for (int first = 0; first < n; ) {
                long moved = write ? image.write(segments, first, n - first) : image.read(segments, first, n - first);
                if (moved < 0) {
                    return false;
                }
                while (first < n && !segments[first].hasRemaining()) {
                    first++;
                }
            }
            return true;
        } finally {
            Arrays.fill(segments, 0, n, null);
        }
    }

    private byte flush() throws IOException {
        if (!readOnly) {
            image.force(false);
            syncs++;
        }
        return S_OK;
    }

    /**
     * Discard and write-zeroes both leave zeros behind: reads after a discard are defined. Every
     * segment is vetted before any is acted on, so UNSUPP and IOERR leave the disk as it was:
     * a flag the spec does not define, or unmap on a discard (only write zeroes may carry it),
     * is UNSUPP (5.2.6.2).
     */
    private byte zeroRanges(DescriptorChain r, int type) throws IOException {
        long bytes = r.readableBytes() - 16;
        if (bytes <= 0 || bytes % 16 != 0 || bytes / 16 > MAX_RANGE_SEGMENTS) {
            return S_UNSUPP;
        }
        byte[] seg = new byte[16];
        ByteBuffer s = ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN);
        int allowed = type == T_WRITE_ZEROES ? F_UNMAP : 0;
        for (long off = 16; off < r.readableBytes(); off += 16) {
            r.copyFromReadable(off, seg, 0, 16);
            if ((s.getInt(12) & ~allowed) != 0) {
                return S_UNSUPP;
            }
            long count = Integer.toUnsignedLong(s.getInt(8));
            if (count > MAX_RANGE_SECTORS || !inRange(s.getLong(0), count * SECTOR)) {
                return S_IOERR;
            }
        }
        for (long off = 16; off < r.readableBytes(); off += 16) {
            r.copyFromReadable(off, seg, 0, 16);
            long pos = s.getLong(0) * SECTOR;
            long count = Integer.toUnsignedLong(s.getInt(8));
            for (long done = 0; done < count * SECTOR; ) {
                int n = (int) Math.min(zeros.length, count * SECTOR - done);
                ByteBuffer z = ByteBuffer.wrap(zeros, 0, n);
                while (z.hasRemaining()) {
                    image.write(z, pos + done + z.position());
                }
                done += n;
            }
        }
        return S_OK;
    }

    /** Writes zeros over {@code count} sectors from {@code sector} (a zoned disk's secure erase). */
    private void zeroSectors(long sector, long count) throws IOException {
        long pos = sector * SECTOR;
        for (long done = 0; done < count * SECTOR; ) {
            ByteBuffer z = ByteBuffer.wrap(zeros, 0, (int) Math.min(zeros.length, count * SECTOR - done));
            while (z.hasRemaining()) {
                image.write(z, pos + done + z.position());
            }
            done += z.limit();
        }
    }

    @Override
    public void close() throws IOException {
        image.close();
    }
}
