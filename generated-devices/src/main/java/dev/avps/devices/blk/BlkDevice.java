package dev.avps.devices.blk;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * virtio-blk (device ID 2) over an image file: read, write, flush, get-id, discard and
 * write-zeroes, and a read-only mode. Every request is checked against the image's size before
 * any byte moves; a bad request gets IOERR or UNSUPP in its status byte, never an exception.
 */
public final class BlkDevice implements VirtioDevice, AutoCloseable {

    static final int SECTOR = 512;
    static final int T_IN = 0;
    static final int T_OUT = 1;
    static final int T_FLUSH = 4;
    static final int T_GET_ID = 8;
    static final int T_DISCARD = 11;
    static final int T_WRITE_ZEROES = 13;
    static final byte S_OK = 0;
    static final byte S_IOERR = 1;
    static final byte S_UNSUPP = 2;

    static final long F_SEG_MAX = 1L << 2;
    static final long F_RO = 1L << 5;
    static final long F_BLK_SIZE = 1L << 6;
    static final long F_FLUSH = 1L << 9;
    static final long F_DISCARD = 1L << 13;
    static final long F_WRITE_ZEROES = 1L << 14;
    static final long VERSION_1 = 1L << 32;

    /** Bytes of virtio_blk_config we fill (through write_zeroes_may_unmap and its padding). */
    static final int CONFIG_SIZE = 60;
    static final int ID_BYTES = 20;
    static final int SEG_MAX = 126;
    static final int MAX_RANGE_SEGMENTS = 1;
    static final int MAX_RANGE_SECTORS = 1 << 16;

    private final FileChannel image;
    private final boolean readOnly;
    private final long sectors;
    private final byte[] id;
    private final byte[] header = new byte[16];
    private final ByteBuffer headerView = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] zeros = new byte[64 * 1024];

    public BlkDevice(Path imageFile, boolean readOnly, String serial) throws IOException {
        this.readOnly = readOnly;
        this.image = readOnly ? FileChannel.open(imageFile, StandardOpenOption.READ)
                : FileChannel.open(imageFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.sectors = image.size() / SECTOR;
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        this.id = new byte[Math.min(ID_BYTES, s.length)];
        System.arraycopy(s, 0, id, 0, id.length);
    }

    @Override
    public long features() {
        long f = VERSION_1 | F_SEG_MAX | F_BLK_SIZE | F_FLUSH;
        return readOnly ? f | F_RO : f | F_DISCARD | F_WRITE_ZEROES;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    @Override
    public void readConfig(int offset, byte[] dst) {
        ByteBuffer c = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(0, sectors);              // capacity
        c.putInt(12, SEG_MAX);              // seg_max
        c.putInt(20, SECTOR);               // blk_size
        c.putInt(36, MAX_RANGE_SECTORS);    // max_discard_sectors
        c.putInt(40, MAX_RANGE_SEGMENTS);   // max_discard_seg
        c.putInt(44, 1);                    // discard_sector_alignment
        c.putInt(48, MAX_RANGE_SECTORS);    // max_write_zeroes_sectors
        c.putInt(52, MAX_RANGE_SEGMENTS);   // max_write_zeroes_seg
        System.arraycopy(c.array(), offset, dst, 0, Math.min(dst.length, CONFIG_SIZE - offset));
    }

    @Override
    public int handle(int queue, DescriptorChain r) throws VirtqueueException {
        if (r.writableBytes() < 1 || r.readableBytes() < 16) {
            // Nowhere to put a status, or no header: nothing useful can be answered.
            return 0;
        }
        r.copyFromReadable(0, header, 0, 16);
        int type = headerView.getInt(0);
        long sector = headerView.getLong(8);
        long statusAt = r.writableBytes() - 1;
        byte status;
        int written = 1;
        try {
            switch (type) {
                case T_IN -> {
                    long len = statusAt;
                    status = read(r, sector, len);
                    written += status == S_OK ? (int) len : 0;
                }
                case T_OUT -> status = readOnly ? S_IOERR : write(r, sector, r.readableBytes() - 16);
                case T_FLUSH -> status = flush();
                case T_GET_ID -> {
                    int n = (int) Math.min(ID_BYTES, statusAt);
                    byte[] out = new byte[n];
                    System.arraycopy(id, 0, out, 0, Math.min(n, id.length));
                    r.copyToWritable(0, out, 0, n);
                    written += n;
                    status = S_OK;
                }
                case T_DISCARD, T_WRITE_ZEROES -> status = readOnly ? S_IOERR : zeroRanges(r);
                default -> status = S_UNSUPP;
            }
        } catch (IOException e) {
            status = S_IOERR;
        }
        r.writeByte(statusAt, status);
        return written;
    }

    private boolean inRange(long sector, long bytes) {
        return bytes % SECTOR == 0 && sector >= 0 && sector <= sectors && bytes / SECTOR <= sectors - sector;
    }

    /** Reads the sectors straight into the guest's buffers: no copy through the Java heap. */
    private byte read(DescriptorChain r, long sector, long len) throws IOException {
        if (!inRange(sector, len)) {
            return S_IOERR;
        }
        long pos = sector * SECTOR;
        long done = 0;
        for (int i = 0; i < r.writableCount() && done < len; i++) {
            ByteBuffer view = r.writableView(i);
            view.limit((int) Math.min(view.limit(), len - done));
            while (view.hasRemaining()) {
                if (image.read(view, pos + done + view.position()) < 0) {
                    return S_IOERR;
                }
            }
            done += view.limit();
        }
        return S_OK;
    }

    /** Writes the guest's data buffers (after the 16-byte header) straight to the image. */
    private byte write(DescriptorChain r, long sector, long len) throws IOException {
        if (!inRange(sector, len)) {
            return S_IOERR;
        }
        long pos = sector * SECTOR;
        long seen = 0;
        for (int i = 0; i < r.readableCount(); i++) {
            ByteBuffer view = r.readableView(i);
            int skip = (int) Math.max(0, Math.min(view.limit(), 16 - seen));
            seen += view.limit();
            view.position(skip);
            while (view.hasRemaining()) {
                pos += image.write(view, pos);
            }
        }
        return S_OK;
    }

    private byte flush() throws IOException {
        if (!readOnly) {
            image.force(false);
        }
        return S_OK;
    }

    /** Discard and write-zeroes both leave zeros behind: reads after a discard are defined. */
    private byte zeroRanges(DescriptorChain r) throws IOException {
        long bytes = r.readableBytes() - 16;
        if (bytes <= 0 || bytes % 16 != 0 || bytes / 16 > MAX_RANGE_SEGMENTS) {
            return S_UNSUPP;
        }
        byte[] seg = new byte[16];
        ByteBuffer s = ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN);
        for (long off = 16; off < r.readableBytes(); off += 16) {
            r.copyFromReadable(off, seg, 0, 16);
            long sector = s.getLong(0);
            long count = Integer.toUnsignedLong(s.getInt(8));
            if (count > MAX_RANGE_SECTORS || !inRange(sector, count * SECTOR) || (s.getInt(12) & ~1) != 0) {
                return S_IOERR;
            }
            long pos = sector * SECTOR;
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

    @Override
    public void close() throws IOException {
        image.close();
    }
}
