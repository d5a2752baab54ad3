package dev.avps.devices.net;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The body of VIRTIO_NET_CTRL_MAC_TABLE_SET (VIRTIO 1.4 5.1.6.5.2): two {@code virtio_net_ctrl_mac}
 * tables back to back, unicast then multicast, each a little-endian 32-bit count followed by that
 * many 6-byte addresses. Parsing checks every count against the bytes actually sent, so a table that
 * announces more addresses than the buffer holds (or leaves bytes over) is refused with the reason.
 */
record MacTables(Set<Long> unicast, Set<Long> multicast) {

    /** A refused command: what was wrong with it. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    static MacTables parse(byte[] body) throws Refused {
        int[] at = {0};
        Set<Long> uni = table(body, at, "unicast");
        Set<Long> multi = table(body, at, "multicast");
        if (at[0] != body.length) {
            throw new Refused((body.length - at[0]) + " bytes follow the multicast table");
        }
        return new MacTables(uni, multi);
    }

    private static Set<Long> table(byte[] b, int[] at, String which) throws Refused {
        int pos = at[0];
        if (b.length - pos < 4) {
            throw new Refused("the " + which + " table has no entry count (" + (b.length - pos) + " bytes left)");
        }
        long entries = (b[pos] & 0xffL) | (b[pos + 1] & 0xffL) << 8 | (b[pos + 2] & 0xffL) << 16
                | (b[pos + 3] & 0xffL) << 24;
        pos += 4;
        long bytes = entries * 6;
        if (bytes > b.length - pos) {
            throw new Refused("the " + which + " table announces " + entries + " addresses (" + bytes
                    + " bytes) but " + (b.length - pos) + " bytes follow");
        }
        Set<Long> macs = new LinkedHashSet<>();
        for (int i = 0; i < entries; i++) {
            macs.add(Packet.mac(b, pos));
            pos += 6;
        }
        at[0] = pos;
        return macs;
    }
}
