package dev.avps.devices.blk;

import dev.avps.generated.blk.VirtioBlkType;
import dev.avps.generated.blk.VirtioBlkZoneDescriptor;
import dev.avps.generated.blk.VirtioBlkZoneReport;
import dev.avps.runtime.DescriptorChain;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The wire side of a host-managed disk's zone requests (VIRTIO 1.4 5.2.6): zone reports laid out
 * in the driver's buffer, the five management requests mapped onto {@link ZoneTable}, the append
 * sector, and the fill that stands in for unwritten sectors in a read. The rules themselves are
 * the table's.
 */
final class ZoneRequests {
    /** The report's fixed part before the descriptors: nr_zones and its reserved bytes. */
    static final int REPORT_HEADER = VirtioBlkZoneReport.SIZE;
    static final int DESCRIPTOR = VirtioBlkZoneDescriptor.SIZE;

    private final ZoneTable zones;

    ZoneRequests(ZoneTable zones) {
        this.zones = zones;
    }

    /**
     * ZONE_REPORT: the zones from the one holding {@code sector}, as many whole descriptors as fit
     * in the {@code room} bytes before the status; nr_zones counts those sent.
     */
    byte report(DescriptorChain r, long sector, long room, int[] written) {
        if (sector < 0 || sector >= zones.capacity() || room < REPORT_HEADER) {
            return ZoneTable.IOERR;
        }
        int first = zones.zoneOf(sector).index;
        long fit = (room - REPORT_HEADER) / DESCRIPTOR;
        int n = (int) Math.min(fit, zones.count() - first);
        ByteBuffer b = ByteBuffer.allocate(REPORT_HEADER + n * DESCRIPTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, n);
        for (int i = 0; i < n; i++) {
            ZoneTable.Zone z = zones.zone(first + i);
            int at = REPORT_HEADER + i * DESCRIPTOR;
            b.putLong(at, z.cap).putLong(at + 8, z.start).putLong(at + 16, z.reportedWp());
            b.put(at + 24, (byte) z.type).put(at + 25, (byte) z.state);
        }
        r.copyToWritable(0, b.array(), 0, b.capacity());
        written[0] = b.capacity();
        return ZoneTable.OK;
    }

    /** ZONE_OPEN, CLOSE, FINISH, RESET and RESET_ALL. */
    byte manage(int type, long sector) {
        if (type == VirtioBlkType.VIRTIO_BLK_T_ZONE_RESET_ALL) {
            return zones.resetAll();
        }
        if (sector < 0 || sector >= zones.capacity()) {
            return ZoneTable.IOERR;
        }
        if (type == VirtioBlkType.VIRTIO_BLK_T_ZONE_OPEN) {
            return zones.open(sector);
        }
        if (type == VirtioBlkType.VIRTIO_BLK_T_ZONE_CLOSE) {
            return zones.close(sector);
        }
        if (type == VirtioBlkType.VIRTIO_BLK_T_ZONE_FINISH) {
            return zones.finish(sector);
        }
        if (type == VirtioBlkType.VIRTIO_BLK_T_ZONE_RESET) {
            return zones.reset(sector);
        }
        return ZoneTable.UNSUPP;
    }

    /** Overwrites sectors of the image with zeros. */
    interface Zeroer {
        void zero(long sector, long count) throws IOException;
    }

    /**
     * SECURE_ERASE on a zoned disk: one segment of whole zones, each erased as a reset would
     * (5.2.6.2), and its bytes overwritten so that the old data is gone from the image too. An
     * undefined flag gets UNSUPP; a range that is not whole zones within the capacity, IOERR.
     */
    byte secureErase(DescriptorChain r, Zeroer zeroer) throws IOException {
        if (r.readableBytes() != 16 + 16) {
            return ZoneTable.UNSUPP; // one segment at a time (max_secure_erase_seg)
        }
        long sector = r.readLongLE(16);
        long count = Integer.toUnsignedLong(r.readIntLE(24));
        if (r.readIntLE(28) != 0) {
            return ZoneTable.UNSUPP;
        }
        long zs = zones.zoneSectors();
        if (count == 0 || sector % zs != 0 || count % zs != 0 || sector < 0 || sector >= zones.capacity()
                || count > zones.capacity() - sector) {
            return ZoneTable.IOERR;
        }
        for (long at = sector; at < sector + count; at += zs) {
            ZoneTable.Zone z = zones.zoneOf(at);
            zeroer.zero(z.start, z.size);
            if (z.sequential()) {
                zones.reset(z.start);
            }
        }
        return ZoneTable.OK;
    }

    /** Puts the sector an append landed at, little-endian, at {@code offset} of the writable part. */
    static void putAppendSector(DescriptorChain r, long offset, long sector) {
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(sector).array();
        r.copyToWritable(offset, b, 0, 8);
    }

    /**
     * After a read of {@code bytes} from {@code sector}: the sectors past the zone's written data
     * hold zeros in the driver's buffer, whatever the image still has there (5.2.6.2 lets the
     * device fill unwritten sectors with a pattern of its own; stale data from before a reset must
     * not show).
     */
    void fillUnwritten(DescriptorChain r, long sector, long bytes, byte[] zeros) {
        long from = zones.unwrittenFrom(sector, bytes / BlkDevice.SECTOR);
        if (from < 0) {
            return;
        }
        for (long at = from * BlkDevice.SECTOR; at < bytes; ) {
            int n = (int) Math.min(zeros.length, bytes - at);
            r.copyToWritable(at, zeros, 0, n);
            at += n;
        }
    }
}
