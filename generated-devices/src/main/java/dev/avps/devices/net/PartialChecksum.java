package dev.avps.devices.net;

/**
 * Completes a checksum the sender left partial (VIRTIO_NET_HDR_F_NEEDS_CSUM), for a receiver that
 * did not accept GUEST_CSUM. The sender has summed the pseudo-header into the checksum field; the
 * device sums from csum_start to the end of the frame and stores the complement at
 * csum_start + csum_offset (VIRTIO 1.4 5.1.6.2).
 */
final class PartialChecksum {

    private PartialChecksum() {
    }

    /** Completes the checksum in place and clears the flag; false when the offsets lie outside the frame. */
    static boolean complete(byte[] p) {
        int start = (p[6] & 0xff) | (p[7] & 0xff) << 8;
        int offset = (p[8] & 0xff) | (p[9] & 0xff) << 8;
        int frame = Packet.frameLength(p);
        if (start + offset + 2 > frame) {
            return false;
        }
        int at = Packet.HDR + start;
        int sum = InternetChecksum.of(p, at, frame - start);
        Packet.putU16(p, at + offset, sum);
        p[0] = 0;
        return true;
    }
}
