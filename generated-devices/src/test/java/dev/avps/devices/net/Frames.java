package dev.avps.devices.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds the packets the tests send: a zeroed virtio-net header and a hand-made Ethernet frame. */
final class Frames {

    static final long A = 0x02_a5_00_00_00_01L;
    static final long B = 0x02_a5_00_00_00_02L;
    static final long C = 0x02_a5_00_00_00_03L;
    static final long HOST = 0x02_a5_00_00_00_feL;
    static final long MULTICAST = 0x01_00_5e_00_00_fbL;

    private Frames() {
    }

    /** Header + Ethernet frame with {@code payload} after the EtherType. */
    static byte[] ethernet(long dst, long src, int type, byte[] payload) {
        byte[] p = new byte[Packet.HDR + Packet.ETH_HLEN + payload.length];
        Packet.putMac(p, Packet.HDR, dst);
        Packet.putMac(p, Packet.HDR + 6, src);
        Packet.putU16(p, Packet.HDR + 12, type);
        System.arraycopy(payload, 0, p, Packet.HDR + Packet.ETH_HLEN, payload.length);
        return p;
    }

    /** An 802.1Q-tagged frame carrying IPv4-typed filler. */
    static byte[] tagged(long dst, long src, int vid, int payloadLen) {
        byte[] inner = new byte[4 + payloadLen];
        Packet.putU16(inner, 0, vid);
        Packet.putU16(inner, 2, Packet.ETHERTYPE_IPV4);
        return ethernet(dst, src, Packet.ETHERTYPE_VLAN, inner);
    }

    static byte[] filler(long dst, long src, int payloadLen) {
        byte[] payload = new byte[payloadLen];
        for (int i = 0; i < payloadLen; i++) {
            payload[i] = (byte) (i * 7 + 3);
        }
        return ethernet(dst, src, 0x88b5, payload); // the IEEE local experimental EtherType
    }

    static byte[] arpRequest(long srcMac, int srcIp, int targetIp) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        byte[] m = new byte[6];
        Packet.putMac(m, 0, srcMac);
        b.put(m).putInt(srcIp).put(new byte[6]).putInt(targetIp);
        return ethernet(Packet.BROADCAST, srcMac, Packet.ETHERTYPE_ARP, b.array());
    }

    /** An IPv4 packet (checksummed header, no options) around {@code l4}. */
    static byte[] ipv4(long dstMac, long srcMac, int srcIp, int dstIp, int proto, byte[] l4) {
        byte[] ip = new byte[20 + l4.length];
        ip[0] = 0x45;
        Packet.putU16(ip, 2, ip.length);
        Packet.putU16(ip, 4, 0x1234);
        ip[8] = 64;
        ip[9] = (byte) proto;
        HostEnd.putInt32(ip, 12, srcIp);
        HostEnd.putInt32(ip, 16, dstIp);
        Packet.putU16(ip, 10, InternetChecksum.of(ip, 0, 20));
        System.arraycopy(l4, 0, ip, 20, l4.length);
        return ethernet(dstMac, srcMac, Packet.ETHERTYPE_IPV4, ip);
    }

    static byte[] echoRequest(long dstMac, long srcMac, int srcIp, int dstIp, int id, int seq, byte[] data) {
        byte[] icmp = new byte[8 + data.length];
        icmp[0] = 8;
        Packet.putU16(icmp, 4, id);
        Packet.putU16(icmp, 6, seq);
        System.arraycopy(data, 0, icmp, 8, data.length);
        Packet.putU16(icmp, 2, InternetChecksum.of(icmp, 0, icmp.length));
        return ipv4(dstMac, srcMac, srcIp, dstIp, HostEnd.IPPROTO_ICMP, icmp);
    }

    static byte[] udp(long dstMac, long srcMac, int srcIp, int dstIp, int srcPort, int dstPort, byte[] data) {
        byte[] u = new byte[8 + data.length];
        Packet.putU16(u, 0, srcPort);
        Packet.putU16(u, 2, dstPort);
        Packet.putU16(u, 4, u.length);
        System.arraycopy(data, 0, u, 8, data.length);
        return ipv4(dstMac, srcMac, srcIp, dstIp, HostEnd.IPPROTO_UDP, u);
    }

    /** A switch port that keeps what it is given. */
    static final class Recorder implements SwitchPort {
        final List<byte[]> got = new ArrayList<>();
        private final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public synchronized void deliver(byte[] packet) {
            got.add(packet);
        }

        @Override
        public String name() {
            return name;
        }
    }
}
