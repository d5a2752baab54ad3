package dev.avps.devices.net;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Automatic receive steering with several queue pairs (VIRTIO 1.4 5.1.6.5.6): packets of a flow go
 * to the receive queue paired with the transmit queue the driver last sent that flow on; a flow
 * never sent on is spread over the pairs by its hash. A flow is the unordered pair of endpoints
 * (IP addresses, and ports for TCP and UDP; MAC addresses otherwise), so a reply matches the
 * request that opened it. Remembers the {@link #CAPACITY} most recently used flows.
 */
final class FlowSteering {

    static final int CAPACITY = 1024;

    private final Map<Long, Integer> lastTx = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Integer> e) {
            return size() > CAPACITY;
        }
    };

    synchronized void sent(byte[] packet, int pair) {
        lastTx.put(flow(packet), pair);
    }

    /** The pair for a received packet, below {@code pairs}. */
    synchronized int pairFor(byte[] packet, int pairs) {
        long f = flow(packet);
        Integer p = lastTx.get(f);
        if (p != null && p < pairs) {
            return p;
        }
        return (int) Math.floorMod(f ^ (f >>> 29), (long) pairs);
    }

    /** A key equal for both directions of a flow. */
    static long flow(byte[] p) {
        int len = Packet.frameLength(p);
        int l3 = Packet.HDR + Packet.ETH_HLEN;
        int type = Packet.outerType(p);
        if (type == Packet.ETHERTYPE_VLAN && len >= Packet.ETH_HLEN + Packet.VLAN_HLEN) {
            type = Packet.u16(p, l3 + 2);
            l3 += Packet.VLAN_HLEN;
        }
        int avail = p.length - l3;
        if (type == Packet.ETHERTYPE_IPV4 && avail >= 20) {
            int ihl = (p[l3] & 0x0f) * 4;
            int proto = p[l3 + 9] & 0xff;
            long a = HostEnd.int32(p, l3 + 12) & 0xffffffffL;
            long b = HostEnd.int32(p, l3 + 16) & 0xffffffffL;
            boolean ports = (proto == 6 || proto == 17) && (Packet.u16(p, l3 + 6) & 0x1fff) == 0 && avail >= ihl + 4;
            if (ports) {
                a = a * 65_537 + Packet.u16(p, l3 + ihl);
                b = b * 65_537 + Packet.u16(p, l3 + ihl + 2);
            }
            return mix(Math.min(a, b), Math.max(a, b), proto);
        }
        if (type == Packet.ETHERTYPE_IPV6 && avail >= 40) {
            long a = 0;
            long b = 0;
            for (int i = 0; i < 16; i += 4) {
                a = a * 31 + HostEnd.int32(p, l3 + 8 + i);
                b = b * 31 + HostEnd.int32(p, l3 + 24 + i);
            }
            return mix(Math.min(a, b), Math.max(a, b), p[l3 + 6] & 0xff);
        }
        long s = Packet.src(p);
        long d = Packet.dst(p);
        return mix(Math.min(s, d), Math.max(s, d), type);
    }

    private static long mix(long lo, long hi, int extra) {
        long h = lo * 0x9E3779B97F4A7C15L + hi;
        h ^= h >>> 31;
        return h * 31 + extra;
    }
}
