package dev.avps.devices.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * The switch's own host: one MAC and one IPv4 address that answer ARP requests, ICMP echo requests
 * and UDP datagrams to one port (echoed back), so a guest can be checked end to end without any
 * network outside the process. Everything else sent to it is ignored; it never starts traffic.
 * Replies carry an all-zero virtio-net header (complete checksums, no segmentation).
 */
public final class HostEnd implements SwitchPort {

    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_UDP = 17;
    private static final int ARP_LEN = 28;

    private final Switch sw;
    private final long mac;
    private final int ip;
    private final int udpEchoPort;
    final LongAdder arpReplies = new LongAdder();
    final LongAdder echoReplies = new LongAdder();
    final LongAdder udpEchoes = new LongAdder();

    /**
     * @param ip          the host's IPv4 address, big-endian in an int
     * @param udpEchoPort datagrams to this UDP port are sent back to their source
     */
    public HostEnd(Switch sw, long mac, int ip, int udpEchoPort) {
        this.sw = sw;
        this.mac = mac;
        this.ip = ip;
        this.udpEchoPort = udpEchoPort;
        sw.attach(this);
    }

    /** ARP requests answered so far. */
    public long arpReplies() {
        return arpReplies.sum();
    }

    /** ICMP echo requests answered so far. */
    public long echoReplies() {
        return echoReplies.sum();
    }

    /** UDP datagrams echoed so far. */
    public long udpEchoes() {
        return udpEchoes.sum();
    }

    /** "10.0.2.2" to its big-endian int. */
    public static int parseIpv4(String s) {
        String[] parts = s.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 address such as 10.0.2.2");
        }
        int v = 0;
        for (String part : parts) {
            int octet = part.matches("[0-9]{1,3}") ? Integer.parseInt(part) : -1;
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address such as 10.0.2.2");
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    @Override
    public String name() {
        return "host " + Packet.macString(mac);
    }

    @Override
    public void deliver(byte[] p) {
        long dst = Packet.dst(p);
        if (dst != mac && dst != Packet.BROADCAST) {
            return;
        }
        int len = Packet.frameLength(p);
        if (len < Packet.ETH_HLEN) {
            return;
        }
        switch (Packet.outerType(p)) {
            case Packet.ETHERTYPE_ARP -> arp(p, len);
            case Packet.ETHERTYPE_IPV4 -> {
                if (dst == mac) {
                    ipv4(p, len);
                }
            }
            default -> {
                // tagged frames, IPv6 and the rest are not for this host
            }
        }
    }

    private void arp(byte[] p, int len) {
        int a = Packet.HDR + Packet.ETH_HLEN;
        if (len < Packet.ETH_HLEN + ARP_LEN) {
            return;
        }
        // Ethernet (1) and IPv4, 6-byte and 4-byte addresses, a request (1) for our address.
        if (Packet.u16(p, a) != 1 || Packet.u16(p, a + 2) != Packet.ETHERTYPE_IPV4 || p[a + 4] != 6 || p[a + 5] != 4
                || Packet.u16(p, a + 6) != 1 || int32(p, a + 24) != ip) {
            return;
        }
        long askerMac = Packet.mac(p, a + 8);
        int askerIp = int32(p, a + 14);
        byte[] r = new byte[Packet.HDR + Packet.ETH_HLEN + ARP_LEN];
        int e = Packet.HDR;
        Packet.putMac(r, e, askerMac);
        Packet.putMac(r, e + 6, mac);
        Packet.putU16(r, e + 12, Packet.ETHERTYPE_ARP);
        int b = e + Packet.ETH_HLEN;
        Packet.putU16(r, b, 1);
        Packet.putU16(r, b + 2, Packet.ETHERTYPE_IPV4);
        r[b + 4] = 6;
        r[b + 5] = 4;
        Packet.putU16(r, b + 6, 2);
        Packet.putMac(r, b + 8, mac);
        putInt32(r, b + 14, ip);
        Packet.putMac(r, b + 18, askerMac);
        putInt32(r, b + 24, askerIp);
        arpReplies.increment();
        sw.forward(this, r);
    }

    private void ipv4(byte[] p, int len) {
        int i = Packet.HDR + Packet.ETH_HLEN;
        int avail = len - Packet.ETH_HLEN;
        if (avail < 20 || (p[i] & 0xf0) != 0x40) {
            return;
        }
        int ihl = (p[i] & 0x0f) * 4;
        int total = Packet.u16(p, i + 2);
        // Fragments (MF set or a non-zero offset) are not reassembled here.
        if (ihl < 20 || total < ihl || total > avail || (Packet.u16(p, i + 6) & 0x3fff) != 0 || int32(p, i + 16) != ip) {
            return;
        }
        int proto = p[i + 9] & 0xff;
        int l4 = i + ihl;
        int l4len = total - ihl;
        if (proto == IPPROTO_ICMP && l4len >= 8 && p[l4] == 8 && p[l4 + 1] == 0) {
            byte[] r = reply(p, total);
            int rl4 = Packet.HDR + Packet.ETH_HLEN + ihl;
            r[rl4] = 0; // echo reply
            Packet.putU16(r, rl4 + 2, 0);
            Packet.putU16(r, rl4 + 2, InternetChecksum.of(r, rl4, l4len));
            echoReplies.increment();
            sw.forward(this, r);
        } else if (proto == IPPROTO_UDP && l4len >= 8 && Packet.u16(p, l4 + 2) == udpEchoPort
                && Packet.u16(p, l4 + 4) <= l4len && Packet.u16(p, l4 + 4) >= 8) {
            int udpLen = Packet.u16(p, l4 + 4);
            byte[] r = reply(p, ihl + udpLen);
            int ri = Packet.HDR + Packet.ETH_HLEN;
            int rl4 = ri + ihl;
            Packet.putU16(r, rl4, udpEchoPort);
            Packet.putU16(r, rl4 + 2, Packet.u16(p, l4));
            Packet.putU16(r, rl4 + 6, 0);
            long sum = InternetChecksum.add(0, r, ri + 12, 8); // pseudo-header: addresses,
            sum += IPPROTO_UDP + udpLen;                        // protocol and UDP length
            int c = InternetChecksum.finish(InternetChecksum.add(sum, r, rl4, udpLen));
            Packet.putU16(r, rl4 + 6, c == 0 ? 0xffff : c);
            udpEchoes.increment();
            sw.forward(this, r);
        }
    }

    /**
     * A copy of the first {@code ipLen} bytes of the IPv4 packet in {@code p}, addressed back to its
     * sender: MACs and IP addresses swapped, TTL 64, header checksum recomputed.
     */
    private byte[] reply(byte[] p, int ipLen) {
        int i = Packet.HDR + Packet.ETH_HLEN;
        int ihl = (p[i] & 0x0f) * 4;
        byte[] r = new byte[i + ipLen];
        System.arraycopy(p, Packet.HDR, r, Packet.HDR, Packet.ETH_HLEN + ipLen);
        Packet.putMac(r, Packet.HDR, Packet.src(p));
        Packet.putMac(r, Packet.HDR + 6, mac);
        Packet.putU16(r, i + 2, ipLen);
        r[i + 8] = 64;
        putInt32(r, i + 12, ip);
        putInt32(r, i + 16, int32(p, i + 12));
        Packet.putU16(r, i + 10, 0);
        Packet.putU16(r, i + 10, InternetChecksum.of(r, i, ihl));
        return r;
    }

    static int int32(byte[] b, int at) {
        return (Packet.u16(b, at) << 16) | Packet.u16(b, at + 2);
    }

    static void putInt32(byte[] b, int at, int v) {
        Packet.putU16(b, at, v >>> 16);
        Packet.putU16(b, at + 2, v & 0xffff);
    }
}
