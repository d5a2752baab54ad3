package dev.avps.devices.net;

import dev.avps.generated.net.VirtioNetHdrV1;

/**
 * What travels through the switch: the sender's 12-byte {@code virtio_net_hdr_v1} followed by the
 * Ethernet frame, in one array. Keeping the header lets offload hints (partial checksum, TSO) reach
 * a receiving guest untouched. Static helpers only; MAC addresses are carried as the low 48 bits of
 * a long so they can key maps without allocation.
 */
final class Packet {

    /** Bytes of the header in front of every frame (VERSION_1 layout, num_buffers included). */
    static final int HDR = VirtioNetHdrV1.SIZE;
    /** Destination MAC, source MAC, EtherType. */
    static final int ETH_HLEN = 14;
    /** An 802.1Q tag (TPID + TCI) after the source MAC. */
    static final int VLAN_HLEN = 4;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    /** The largest frame accepted: a 64 KiB segmentation-offload payload plus Ethernet and VLAN headers. */
    static final int MAX_FRAME = 65_535 + ETH_HLEN + VLAN_HLEN;
    static final long BROADCAST = 0xffff_ffff_ffffL;

    private Packet() {
    }

    static int frameLength(byte[] p) {
        return p.length - HDR;
    }

    static long mac(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    static void putMac(byte[] b, int at, long mac) {
        for (int i = 5; i >= 0; i--) {
            b[at + i] = (byte) mac;
            mac >>>= 8;
        }
    }

    static long dst(byte[] p) {
        return mac(p, HDR);
    }

    static long src(byte[] p) {
        return mac(p, HDR + 6);
    }

    /** Group addresses (multicast and broadcast) have the least significant bit of the first octet set. */
    static boolean isGroup(long mac) {
        return (mac & (1L << 40)) != 0;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** The EtherType right after the source MAC (0x8100 for a tagged frame). */
    static int outerType(byte[] p) {
        return u16(p, HDR + 12);
    }

    /** The 12-bit VLAN ID of a tagged frame, or -1 for an untagged one. */
    static int vlan(byte[] p) {
        if (frameLength(p) < ETH_HLEN + VLAN_HLEN || outerType(p) != ETHERTYPE_VLAN) {
            return -1;
        }
        return u16(p, HDR + 14) & 0x0fff;
    }

    static int flags(byte[] p) {
        return p[0] & 0xff;
    }

    static int gsoType(byte[] p) {
        return p[1] & 0xff;
    }

    /** "aa:bb:cc:dd:ee:ff" to its 48-bit value. */
    static long parseMac(String s) {
        String[] parts = s.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + s + "' is not a MAC address such as 52:54:00:12:34:56");
        }
        long v = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("'" + s + "' is not a MAC address such as 52:54:00:12:34:56");
            }
            v = (v << 8) | Integer.parseInt(part, 16);
        }
        return v;
    }

    static String macString(long mac) {
        StringBuilder b = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            b.append(String.format("%02x", (mac >>> (8 * i)) & 0xff));
            if (i > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }
}
