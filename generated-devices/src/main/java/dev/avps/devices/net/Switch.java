package dev.avps.devices.net;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A learning Ethernet switch inside the backend process: it remembers which port each unicast
 * source address was last seen on, sends a frame for a known address to that port only, and
 * floods broadcast, multicast and unknown destinations to every other port. Each port then
 * applies its own receive filter. Nothing leaves the process: there is no TAP device.
 *
 * <p>Ports call {@link #forward} from their own transmit threads; the learned table is a
 * concurrent map bounded at {@link #MAX_ADDRESSES} (a flood of made-up source addresses stops
 * learning, not switching: unknown destinations are flooded).
 */
public final class Switch {

    static final int MAX_ADDRESSES = 4096;

    private final String name;
    private final List<SwitchPort> ports = new CopyOnWriteArrayList<>();
    private final Map<Long, SwitchPort> learned = new ConcurrentHashMap<>();
    /** Frames sent to a single learned port. */
    final LongAdder unicast = new LongAdder();
    /** Frames flooded to every other port. */
    final LongAdder flooded = new LongAdder();
    /** Frames whose learned destination is the port they came from (dropped, as a switch does). */
    final LongAdder hairpin = new LongAdder();

    public Switch(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    void attach(SwitchPort port) {
        ports.add(port);
    }

    void detach(SwitchPort port) {
        ports.remove(port);
        learned.values().removeIf(p -> p == port);
    }

    /** The port a unicast address was learned on, or null. */
    SwitchPort portOf(long mac) {
        return learned.get(mac);
    }

    int learnedCount() {
        return learned.size();
    }

    /** Switches one packet (header + frame) that {@code from} sent; the array is not kept. */
    void forward(SwitchPort from, byte[] packet) {
        long src = Packet.src(packet);
        if (!Packet.isGroup(src) && (learned.size() < MAX_ADDRESSES || learned.containsKey(src))) {
            learned.put(src, from);
        }
        long dst = Packet.dst(packet);
        SwitchPort to = Packet.isGroup(dst) ? null : learned.get(dst);
        if (to != null) {
            if (to == from) {
                hairpin.increment();
                return;
            }
            unicast.increment();
            to.deliver(packet.clone());
            return;
        }
        flooded.increment();
        for (SwitchPort p : ports) {
            if (p != from) {
                p.deliver(packet.clone());
            }
        }
    }
}
