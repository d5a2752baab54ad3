package dev.avps.conform.checks;

import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;

/**
 * What the net checks put on the wire and read back: the packet header as the catalog lays it out
 * ({@code virtio_net_hdr_v1}, fields placed by name), the catalog's flag, GSO, control class,
 * command and ack values by literal name, and the few Ethernet frames the checks send (an ICMP echo
 * request as the probe both kinds of peer answer, an ARP request to find a host's address).
 */
final class NetWire {
    static final int ETH_HLEN = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final long BROADCAST = 0xffff_ffff_ffffL;
    private static final int IP_HLEN = 20;
    private static final int ICMP_HLEN = 8;
    /** Bytes of an ICMP echo probe without payload: Ethernet, IPv4 and ICMP headers. */
    static final int PROBE_OVERHEAD = ETH_HLEN + IP_HLEN + ICMP_HLEN;

    private final DeviceModel device;
    /** Bytes of the header in front of every frame (VERSION_1: num_buffers always present). */
    final int hdrSize;
    private final int flagsAt;
    private final int gsoAt;
    private final int numBuffersAt;

    NetWire(DeviceModel device) {
        this.device = device;
        StructLayout hdr = device.structs().stream().filter(s -> s.name().equals("virtio_net_hdr_v1")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's net has no virtio_net_hdr_v1"));
        hdrSize = hdr.size();
        flagsAt = offset(hdr, "flags");
        gsoAt = offset(hdr, "gso_type");
        numBuffersAt = offset(hdr, "num_buffers");
    }

    private static int offset(StructLayout s, String field) {
        return s.field(field).map(FieldLayout::offset)
                .orElseThrow(() -> new IllegalStateException(s.name() + " has no " + field));
    }

    long literal(String enumName, String name) {
        return Literals.value(device, enumName, name);
    }

    long constant(String name) {
        return Literals.constant(device, name);
    }

    /** Every value the enum defines, OR-ed: the bits a field of flags may carry. */
    long definedBits(String enumName) {
        return Literals.enumOf(device, enumName).literals().stream().mapToLong(l -> l.value().longValue()).reduce(0, (a, b) -> a | b);
    }

    /** The lowest value the enum does not define (an unknown control class or command). */
    int unknownValue(String enumName) {
        EnumModel e = Literals.enumOf(device, enumName);
        for (int v = 0; v < 256; v++) {
            final int x = v;
            if (e.literals().stream().noneMatch(l -> l.value().intValue() == x)) {
                return v;
            }
        }
        throw new IllegalStateException(enumName + " defines every byte value");
    }

    /** A transmit header: every field zero but {@code flags}. */
    byte[] header(int flags) {
        byte[] h = new byte[hdrSize];
        h[flagsAt] = (byte) flags;
        return h;
    }

    int flags(byte[] packet) {
        return packet[flagsAt] & 0xff;
    }

    int gsoType(byte[] packet) {
        return packet[gsoAt] & 0xff;
    }

    int numBuffers(byte[] packet) {
        return (packet[numBuffersAt] & 0xff) | (packet[numBuffersAt + 1] & 0xff) << 8;
    }

    // ---- frames ----

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

    static String macString(long mac) {
        StringBuilder b = new StringBuilder();
        for (int i = 5; i >= 0; i--) {
            b.append(String.format("%02x", (mac >>> (8 * i)) & 0xff)).append(i > 0 ? ":" : "");
        }
        return b.toString();
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static int get16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v & 0xffff);
    }

    private static int checksum(byte[] b, int at, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += get16(b, at + i);
        }
        if ((len & 1) != 0) {
            sum += (b[at + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) ~sum & 0xffff;
    }

    /**
     * An ICMP echo request from {@code src} ({@code srcIp}) to {@code dst} ({@code dstIp}) with
     * {@code payload} bytes, checksums complete. A host answers it with an echo reply of the same
     * length; an echoing peer returns it as it is with the addresses swapped; both keep id and seq.
     */
    static byte[] probe(long dst, long src, int srcIp, int dstIp, int id, int seq, int payload) {
        byte[] f = new byte[PROBE_OVERHEAD + payload];
        putMac(f, 0, dst);
        putMac(f, 6, src);
        put16(f, 12, ETHERTYPE_IPV4);
        int ip = ETH_HLEN;
        f[ip] = 0x45;
        put16(f, ip + 2, IP_HLEN + ICMP_HLEN + payload);
        f[ip + 8] = 64;
        f[ip + 9] = 1;
        put32(f, ip + 12, srcIp);
        put32(f, ip + 16, dstIp);
        put16(f, ip + 10, checksum(f, ip, IP_HLEN));
        int icmp = ip + IP_HLEN;
        f[icmp] = 8;
        put16(f, icmp + 4, id);
        put16(f, icmp + 6, seq);
        for (int i = 0; i < payload; i++) {
            f[icmp + ICMP_HLEN + i] = (byte) (i * 7 + seq);
        }
        put16(f, icmp + 2, checksum(f, icmp, ICMP_HLEN + payload));
        return f;
    }

    /** Whether {@code frame} is an answer to the probe with this id and seq (an echo reply, or the request returned). */
    static boolean answers(byte[] frame, int id, int seq) {
        int icmp = ETH_HLEN + IP_HLEN;
        return frame.length >= PROBE_OVERHEAD && get16(frame, 12) == ETHERTYPE_IPV4 && frame[ETH_HLEN + 9] == 1
                && (frame[icmp] == 0 || frame[icmp] == 8) && get16(frame, icmp + 4) == id && get16(frame, icmp + 6) == seq;
    }

    static long dst(byte[] frame) {
        return mac(frame, 0);
    }

    /** An ARP request from {@code src} ({@code srcIp}) asking who has {@code targetIp}, to broadcast. */
    static byte[] arpRequest(long src, int srcIp, int targetIp) {
        byte[] f = new byte[ETH_HLEN + 28];
        putMac(f, 0, BROADCAST);
        putMac(f, 6, src);
        put16(f, 12, ETHERTYPE_ARP);
        int a = ETH_HLEN;
        put16(f, a, 1);
        put16(f, a + 2, ETHERTYPE_IPV4);
        f[a + 4] = 6;
        f[a + 5] = 4;
        put16(f, a + 6, 1);
        putMac(f, a + 8, src);
        put32(f, a + 14, srcIp);
        put32(f, a + 24, targetIp);
        return f;
    }

    /** The sender MAC of an ARP reply from {@code ip}, or -1 when {@code frame} is not one. */
    static long arpReplyFrom(byte[] frame, int ip) {
        int a = ETH_HLEN;
        if (frame.length < ETH_HLEN + 28 || get16(frame, 12) != ETHERTYPE_ARP || get16(frame, a + 6) != 2
                || (get16(frame, a + 14) << 16 | get16(frame, a + 16)) != ip) {
            return -1;
        }
        return mac(frame, a + 8);
    }

    /** "10.0.2.2" to its big-endian int. */
    static int ipv4(String s) {
        int v = 0;
        for (String part : s.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }
}
