package dev.avps.devices.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * A switch port that sends every unicast frame it receives straight back to its sender, with the
 * two addresses swapped and header and payload untouched: the far end of a loop for measuring the
 * receive path with traffic the front end makes itself (benchmarks/net-testpmd pairs it with
 * testpmd's macswap forwarding). Frames to a group address are not echoed, since the swap would
 * make a group address the source; they are counted and dropped. It has no address of its own: it
 * answers for whatever unknown destination the switch floods to it.
 *
 * <p>The echo runs on the thread that delivered the frame (the sending port's transmit worker),
 * and the switch copies it once more for the receiving port.
 */
public final class EchoPort implements SwitchPort {

    private final Switch sw;
    final LongAdder echoed = new LongAdder();
    final LongAdder groupDropped = new LongAdder();

    public EchoPort(Switch sw) {
        this.sw = sw;
        sw.attach(this);
    }

    /** Frames sent back so far. */
    public long echoed() {
        return echoed.sum();
    }

    @Override
    public void deliver(byte[] packet) {
        long dst = Packet.dst(packet);
        if (Packet.isGroup(dst)) {
            groupDropped.increment();
            return;
        }
        long src = Packet.src(packet);
        Packet.putMac(packet, Packet.HDR, src);
        Packet.putMac(packet, Packet.HDR + 6, dst);
        echoed.increment();
        sw.forward(this, packet);
    }

    @Override
    public String name() {
        return "echo";
    }
}
