package dev.avps.devices.net;

import java.util.BitSet;
import java.util.Set;

/**
 * The receive filter one driver configures through the control queue (VIRTIO 1.4 5.1.6.5.1-3):
 * promiscuous and all-multicast modes, the unicast and multicast MAC tables, the primary address,
 * and the VLAN table. Commands arrive on the control queue's thread while frames are checked on
 * other ports' transmit threads, so the state is an immutable snapshot replaced as a whole.
 *
 * <p>It starts promiscuous, as QEMU's device does: a driver that never sends a receive-mode command
 * still receives everything, and Linux turns promiscuous mode off when it brings the link up.
 * Promiscuous mode bypasses the VLAN table too (it means "everything"). The VLAN table filters
 * only once CTRL_VLAN is negotiated, and then starts empty: tagged frames arrive only for IDs the
 * driver added.
 */
final class RxFilter {

    static final int VLAN_IDS = 4096;

    private record State(boolean promisc, boolean allmulti, long mac, Set<Long> unicast, Set<Long> multicast,
            boolean vlanFiltering, BitSet vlans) {
    }

    private volatile State state;

    RxFilter(long mac) {
        state = new State(true, false, mac, Set.of(), Set.of(), false, new BitSet(VLAN_IDS));
    }

    /** Back to the reset state, keeping the configured address (a reset does not change the MAC field). */
    void reset(long mac) {
        state = new State(true, false, mac, Set.of(), Set.of(), false, new BitSet(VLAN_IDS));
    }

    synchronized void promiscuous(boolean on) {
        State s = state;
        state = new State(on, s.allmulti, s.mac, s.unicast, s.multicast, s.vlanFiltering, s.vlans);
    }

    synchronized void allMulticast(boolean on) {
        State s = state;
        state = new State(s.promisc, on, s.mac, s.unicast, s.multicast, s.vlanFiltering, s.vlans);
    }

    synchronized void address(long mac) {
        State s = state;
        state = new State(s.promisc, s.allmulti, mac, s.unicast, s.multicast, s.vlanFiltering, s.vlans);
    }

    synchronized void tables(Set<Long> unicast, Set<Long> multicast) {
        State s = state;
        state = new State(s.promisc, s.allmulti, s.mac, Set.copyOf(unicast), Set.copyOf(multicast), s.vlanFiltering,
                s.vlans);
    }

    /** Turns VLAN filtering on (empty table) or off, as the negotiated CTRL_VLAN says. */
    synchronized void vlanFiltering(boolean on) {
        State s = state;
        state = new State(s.promisc, s.allmulti, s.mac, s.unicast, s.multicast, on, new BitSet(VLAN_IDS));
    }

    synchronized void vlan(int id, boolean member) {
        State s = state;
        BitSet v = (BitSet) s.vlans.clone();
        v.set(id, member);
        state = new State(s.promisc, s.allmulti, s.mac, s.unicast, s.multicast, s.vlanFiltering, v);
    }

    long address() {
        return state.mac;
    }

    boolean promiscuous() {
        return state.promisc;
    }

    boolean allMulticast() {
        return state.allmulti;
    }

    /** Whether the driver wants this packet (header + frame). */
    boolean accepts(byte[] packet) {
        State s = state;
        if (s.promisc) {
            return true;
        }
        if (s.vlanFiltering) {
            int vid = Packet.vlan(packet);
            if (vid >= 0 && !s.vlans.get(vid)) {
                return false;
            }
        }
        long dst = Packet.dst(packet);
        if (dst == Packet.BROADCAST) {
            return true;
        }
        if (Packet.isGroup(dst)) {
            return s.allmulti || s.multicast.contains(dst);
        }
        return dst == s.mac || s.unicast.contains(dst);
    }
}
