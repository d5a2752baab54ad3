package dev.avps.devices.net;

import dev.avps.generated.net.NetFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only switch port that injects hand-made frames, plus read-only views of a device's receive
 * filter, for guest tests outside this package: they need to know when a guest's control-queue
 * command has reached the backend before they send the frames that command decides about.
 */
public final class NetTap implements SwitchPort {

    private final Switch sw;
    private final long mac;
    private final java.util.Set<Integer> taggedSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public NetTap(Switch sw, long mac) {
        this.sw = sw;
        this.mac = mac;
        sw.attach(this);
    }

    /** Sends {@code count} minimum-size frames of the local experimental EtherType 0x88b5 to {@code dst}. */
    public void send(long dst, int count) {
        for (int i = 0; i < count; i++) {
            sw.forward(this, Frames.filler(dst, mac, 46));
        }
    }

    /** Sends {@code count} 802.1Q-tagged frames (VLAN {@code vid}, inner EtherType 0x88b5) to {@code dst}. */
    public void sendTagged(long dst, int vid, int count) {
        for (int i = 0; i < count; i++) {
            sw.forward(this, tagged(dst, mac, vid));
        }
    }

    private static byte[] tagged(long dst, long src, int vid) {
        byte[] inner = new byte[4 + 42];
        Packet.putU16(inner, 0, vid);
        Packet.putU16(inner, 2, 0x88b5);
        return Frames.ethernet(dst, src, Packet.ETHERTYPE_VLAN, inner);
    }

    /**
     * Remembers the VLANs of tagged frames reaching this port: a guest test learns from a frame the
     * guest sends on its VLAN interface that the interface is up, which the backend cannot see.
     */
    @Override
    public void deliver(byte[] packet) {
        if (packet.length >= Packet.HDR + Packet.ETH_HLEN + Packet.VLAN_HLEN
                && Packet.outerType(packet) == Packet.ETHERTYPE_VLAN) {
            taggedSeen.add(Packet.vlan(packet));
        }
    }

    /** Whether a frame tagged with VLAN {@code vid} has reached this port. */
    public boolean sawTagged(int vid) {
        return taggedSeen.contains(vid);
    }

    @Override
    public String name() {
        return "tap " + Packet.macString(mac);
    }

    public static boolean promiscuous(NetDevice d) {
        return d.filter().promiscuous();
    }

    public static boolean allMulticast(NetDevice d) {
        return d.filter().allMulticast();
    }

    /** Whether the device's filter, as the driver set it, lets a frame to {@code dst} through. */
    public static boolean accepts(NetDevice d, long dst) {
        return d.filter().accepts(Frames.filler(dst, Frames.C, 46));
    }

    /** Whether the device's filter lets a frame to {@code dst} tagged with VLAN {@code vid} through. */
    public static boolean acceptsTagged(NetDevice d, long dst, int vid) {
        return d.filter().accepts(tagged(dst, Frames.C, vid));
    }

    /** The device features the device offers, by their spec names, as {@code avps qemu-args} takes them. */
    public static List<String> offeredFeatureNames(NetDevice d) {
        List<String> names = new ArrayList<>();
        for (int bit : d.offeredFeatures().bits()) {
            if (NetFeatures.DEVICE_SET.has(bit)) {
                names.add(NetFeatures.name(bit));
            }
        }
        return names;
    }

    public static int maxPairs(NetDevice d) {
        return d.config().maxVirtqueuePairs();
    }

    /** The queue pairs the driver enabled (VQ_PAIRS_SET), 1 until it says. */
    public static int activePairs(NetDevice d) {
        return d.activePairs();
    }
}
