package dev.avps.devices.net;

import dev.avps.generated.net.CtrlAnnounceRequest;
import dev.avps.generated.net.CtrlGuestOffloadsRequest;
import dev.avps.generated.net.CtrlMacRequest;
import dev.avps.generated.net.CtrlMqRequest;
import dev.avps.generated.net.CtrlNotfCoalRequest;
import dev.avps.generated.net.CtrlRxRequest;
import dev.avps.generated.net.CtrlStatsRequest;
import dev.avps.generated.net.CtrlVlanRequest;
import dev.avps.generated.net.NetConstants;
import dev.avps.generated.net.NetDeviceBase;
import dev.avps.generated.net.NetFeatures;
import dev.avps.generated.net.ReceiveRequest;
import dev.avps.generated.net.TransmitRequest;
import dev.avps.generated.net.VirtioNetCtrlMacCmd;
import dev.avps.generated.net.VirtioNetCtrlMqCmd;
import dev.avps.generated.net.VirtioNetCtrlRxCmd;
import dev.avps.generated.net.VirtioNetCtrlVlanCmd;
import dev.avps.generated.net.VirtioNetHdrFlags;
import dev.avps.generated.net.VirtioNetHdrGso;
import dev.avps.generated.net.VirtioNetStatus;
import dev.avps.runtime.DescriptorChain;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * virtio-net (device ID 1) as one port of an in-process {@link Switch}. Features, config layout,
 * queue numbering and the dispatch of transmit, receive and control chains come from
 * {@link NetDeviceBase}, generated from spec-models' net.avps; this class holds the logic.
 *
 * <p>Transmit: header and frame are copied out of the chain and switched as they are, so offload
 * hints (a partial checksum with CSUM, a TSO super-frame with HOST_TSO4/6) reach the receiving guest
 * untouched. Receive: the switch's deliveries pass this port's {@link RxFilter}, then wait in the
 * {@link RxQueue} that {@link FlowSteering} picks until the driver posts buffers ({@code DEFER}
 * parks an rx buffer while nothing is pending). A partial checksum for a driver without GUEST_CSUM
 * is completed here; a segmentation offload the driver did not accept is dropped and counted,
 * because segmenting is not implemented. INDIRECT_DESC and EVENT_IDX come from the transport.
 *
 * <p>The control queue serves CTRL_RX (promiscuous, all-multicast), CTRL_MAC (table set, address
 * set), CTRL_VLAN and CTRL_MQ's VQ_PAIRS_SET; every other class or command, and every malformed
 * one, gets VIRTIO_NET_ERR. Link state changes ({@link #linkUp(boolean)}) update the status field
 * and call the config-change listener, through which a transport raises the config interrupt.
 */
public final class NetDevice extends NetDeviceBase implements SwitchPort {

    static final long OFFERED = NetFeatures.CSUM | NetFeatures.GUEST_CSUM | NetFeatures.HOST_TSO4
            | NetFeatures.HOST_TSO6 | NetFeatures.GUEST_TSO4 | NetFeatures.GUEST_TSO6 | NetFeatures.MAC
            | NetFeatures.MRG_RXBUF | NetFeatures.STATUS | NetFeatures.CTRL_VQ | NetFeatures.CTRL_RX
            | NetFeatures.CTRL_VLAN | NetFeatures.CTRL_MAC_ADDR;

    /** The header flags a driver with GUEST_CSUM may receive. */
    private static final int RX_FLAGS = VirtioNetHdrFlags.VIRTIO_NET_HDR_F_NEEDS_CSUM
            | VirtioNetHdrFlags.VIRTIO_NET_HDR_F_DATA_VALID;

    private final Switch sw;
    private final String name;
    private final int maxPairs;
    /** The address offered at start; a reset brings it back after a MAC_ADDR_SET. */
    private final long initialMac;
    private final RxQueue[] rx;
    private final RxFilter filter;
    private final FlowSteering steering = new FlowSteering();
    private final NetCounters counters = new NetCounters();
    private final ControlReply reply;
    private volatile long features;
    private volatile int activePairs = 1;
    private volatile Runnable configListener = () -> { };
    /** Frames taken from each pair's transmit queue and buffers filled on each pair's receive queue. */
    private final AtomicLongArray txByPair;
    private final AtomicLongArray rxByPair;

    /**
     * @param mac      the address offered in the config space (48 bits)
     * @param maxPairs queue pairs offered (1 for none; more offers MQ)
     */
    public NetDevice(Switch sw, long mac, int maxPairs) {
        super(OFFERED | (maxPairs > 1 ? NetFeatures.MQ : 0));
        if (maxPairs < 1 || maxPairs > NetConstants.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX) {
            throw new IllegalArgumentException("queue pairs must be 1 to 32768, not " + maxPairs);
        }
        this.sw = sw;
        this.maxPairs = maxPairs;
        this.initialMac = mac;
        this.name = Packet.macString(mac);
        this.filter = new RxFilter(mac);
        this.reply = new ControlReply(counters, name);
        this.rx = new RxQueue[maxPairs];
        this.txByPair = new AtomicLongArray(maxPairs);
        this.rxByPair = new AtomicLongArray(maxPairs);
        for (int i = 0; i < maxPairs; i++) {
            rx[i] = new RxQueue(counters);
        }
        setMac(mac);
        config().status(VirtioNetStatus.VIRTIO_NET_S_LINK_UP).maxVirtqueuePairs(maxPairs);
        sw.attach(this);
    }

    /** "52:54:00:12:34:56" to its 48-bit value; IllegalArgumentException names a malformed one. */
    public static long parseMac(String s) {
        try {
            return Packet.parseMac(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a MAC address such as 52:54:00:12:34:56");
        }
    }

    public NetCounters counters() {
        return counters;
    }

    @Override
    public String name() {
        return "net " + name;
    }

    /** Leaves the switch (the backend is shutting down). */
    public void detach() {
        sw.detach(this);
    }

    /** The listener a transport registers to raise the configuration change interrupt. */
    @Override
    public void onConfigChange(Runnable listener) {
        configListener = listener;
    }

    /** Sets the link state in the status field and announces the change. */
    public void linkUp(boolean up) {
        config().status(up ? VirtioNetStatus.VIRTIO_NET_S_LINK_UP : 0);
        configListener.run();
    }

    public boolean linkUp() {
        return (config().status() & VirtioNetStatus.VIRTIO_NET_S_LINK_UP) != 0;
    }

    int activePairs() {
        return activePairs;
    }

    /** Frames the switch took from queue pair {@code pair}'s transmit queue. */
    public long txFrames(int pair) {
        return txByPair.get(pair);
    }

    /** Receive buffers queue pair {@code pair} handed back filled (several per frame with MRG_RXBUF). */
    public long rxBuffers(int pair) {
        return rxByPair.get(pair);
    }

    RxFilter filter() {
        return filter;
    }

    private void setMac(long mac) {
        for (int i = 0; i < 6; i++) {
            config().mac(i, (int) (mac >>> (8 * (5 - i))) & 0xff);
        }
        filter.address(mac);
    }

    private boolean has(long feature) {
        return (features & feature) != 0;
    }

    @Override
    public void featuresNegotiated(long f) {
        super.featuresNegotiated(f);
        // QEMU repeats SET_FEATURES (once per queue pair, and on every start); the same set again
        // must not undo what the driver configured since.
        if (f != features) {
            features = f;
            activePairs = 1;
            filter.vlanFiltering((f & NetFeatures.CTRL_VLAN) != 0);
        }
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queueFamily(queue) == Q_RECEIVEQ) {
            rx[queue / 2].started(wakeup);
        }
    }

    @Override
    public void queueStopped(int queue) {
        if (queueFamily(queue) == Q_RECEIVEQ) {
            rx[queue / 2].stopped();
        }
    }

    @Override
    public void usedPublishing(int queue) {
        if (queueFamily(queue) == Q_RECEIVEQ) {
            rx[queue / 2].published();
        }
    }

    @Override
    public boolean midMessage(int queue) {
        return queueFamily(queue) == Q_RECEIVEQ && rx[queue / 2].midPacket();
    }

    @Override
    public void reset() {
        super.reset();
        features = 0;
        activePairs = 1;
        for (RxQueue q : rx) {
            q.clear();
        }
        filter.reset(initialMac);
        setMac(initialMac);
    }

    // ---- transmit: the guest's frames into the switch ----

    @Override
    protected int onTransmit(TransmitRequest request) {
        DescriptorChain chain = request.chain();
        long len = chain.readableBytes();
        if (chain.writableBytes() > 0) {
            counters.txMalformed.increment();
            return 0;
        }
        if (len < Packet.HDR + Packet.ETH_HLEN) {
            counters.txShort.increment();
            return 0;
        }
        if (len > Packet.HDR + Packet.MAX_FRAME) {
            counters.txOversize.increment();
            return 0;
        }
        byte[] p = new byte[(int) len];
        chain.copyFromReadable(0, p, 0, p.length);
        if (!sendable(p)) {
            counters.txMalformed.increment();
            return 0;
        }
        counters.txFrames.increment();
        txByPair.incrementAndGet(request.queue() / 2); // only this pair's transmit worker writes this slot
        if (Packet.gsoType(p) != VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_NONE) {
            counters.txGso.increment();
        }
        if (maxPairs > 1) {
            steering.sent(p, request.queue() / 2);
        }
        sw.forward(this, p);
        return 0;
    }

    /** A segmentation request is honoured only for the offloads the driver was offered and took. */
    private boolean sendable(byte[] p) {
        return switch (Packet.gsoType(p)) {
            case VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_NONE -> true;
            case VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_TCPV4 -> has(NetFeatures.HOST_TSO4);
            case VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_TCPV6 -> has(NetFeatures.HOST_TSO6);
            default -> false;
        };
    }

    // ---- receive: the switch's frames into the guest ----

    @Override
    public void deliver(byte[] p) {
        if (!linkUp()) {
            counters.rxNoRoom.increment();
            return;
        }
        if (!filter.accepts(p)) {
            counters.rxFiltered.increment();
            return;
        }
        if (!offloadsAccepted(p)) {
            counters.rxOffloadRefused.increment();
            return;
        }
        // The sender's header travels with the frame, but the flags a driver receives are the
        // device's: zero without GUEST_CSUM, else only the receive flags defined for it (VIRTIO 1.4
        // 5.1.6.4.1). Bits a sender set that mean nothing on receive must not reach this driver.
        p[0] = (byte) (has(NetFeatures.GUEST_CSUM) ? Packet.flags(p) & RX_FLAGS : 0);
        int pairs = has(NetFeatures.CTRL_VQ) ? activePairs : maxPairs;
        int pair = pairs > 1 ? steering.pairFor(p, pairs) : 0;
        if (!rx[pair].running()) {
            pair = 0; // the steered queue is not running (a front end that enables fewer pairs)
        }
        if (!rx[pair].offer(p)) {
            counters.rxNoRoom.increment();
        }
    }

    /**
     * Whether the driver can take the packet's offload hints; completes a partial checksum in
     * software for a driver without GUEST_CSUM. Segmentation the driver did not accept is refused.
     */
    private boolean offloadsAccepted(byte[] p) {
        int gso = Packet.gsoType(p);
        boolean ok = switch (gso & ~VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_ECN) {
            case VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_NONE -> true;
            case VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_TCPV4 -> has(NetFeatures.GUEST_TSO4);
            case VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_TCPV6 -> has(NetFeatures.GUEST_TSO6);
            default -> false;
        };
        if (!ok || ((gso & VirtioNetHdrGso.VIRTIO_NET_HDR_GSO_ECN) != 0 && !has(NetFeatures.GUEST_ECN))) {
            return false;
        }
        if ((Packet.flags(p) & VirtioNetHdrFlags.VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0 && !has(NetFeatures.GUEST_CSUM)) {
            return PartialChecksum.complete(p);
        }
        return true;
    }

    @Override
    protected int onReceive(ReceiveRequest request) {
        int pair = request.queue() / 2;
        int used = rx[pair].fill(request.chain(), has(NetFeatures.MRG_RXBUF));
        if (used > 0) {
            rxByPair.incrementAndGet(pair);
        }
        return used;
    }

    // ---- control queue ----

    @Override
    protected int onCtrlRx(CtrlRxRequest request) {
        DescriptorChain c = request.chain();
        if (!ControlReply.answerable(c)) {
            return reply.unanswerable(c);
        }
        if (!has(NetFeatures.CTRL_RX)) {
            return reply.err(c, "CTRL_RX was not negotiated");
        }
        if (c.readableBytes() != CtrlRxRequest.Readable.SIZE) {
            return reply.err(c, "a receive-mode command carries one byte, not " + (c.readableBytes() - 2));
        }
        boolean on = request.readable().on() != 0;
        int cmd = request.readable().header().cmd();
        switch (cmd) {
            case VirtioNetCtrlRxCmd.VIRTIO_NET_CTRL_RX_PROMISC -> filter.promiscuous(on);
            case VirtioNetCtrlRxCmd.VIRTIO_NET_CTRL_RX_ALLMULTI -> filter.allMulticast(on);
            default -> {
                return reply.err(c, "receive-mode command " + cmd + " needs CTRL_RX_EXTRA, which is not offered");
            }
        }
        return reply.ok(c);
    }

    @Override
    protected int onCtrlMac(CtrlMacRequest request) {
        DescriptorChain c = request.chain();
        if (!ControlReply.answerable(c)) {
            return reply.unanswerable(c);
        }
        if (!request.wellFormed()) {
            return reply.err(c, "a MAC command without its command byte");
        }
        int cmd = request.readable().header().cmd();
        byte[] body = ControlReply.body(c);
        if (body == null) {
            return reply.err(c, "a MAC command of " + c.readableBytes() + " bytes (at most "
                    + (ControlReply.MAX_BODY + 2) + " are read)");
        }
        switch (cmd) {
            case VirtioNetCtrlMacCmd.VIRTIO_NET_CTRL_MAC_TABLE_SET -> {
                if (!has(NetFeatures.CTRL_RX)) {
                    return reply.err(c, "MAC_TABLE_SET needs CTRL_RX");
                }
                try {
                    MacTables t = MacTables.parse(body);
                    filter.tables(t.unicast(), t.multicast());
                } catch (MacTables.Refused e) {
                    return reply.err(c, "MAC_TABLE_SET: " + e.getMessage());
                }
            }
            case VirtioNetCtrlMacCmd.VIRTIO_NET_CTRL_MAC_ADDR_SET -> {
                if (!has(NetFeatures.CTRL_MAC_ADDR)) {
                    return reply.err(c, "MAC_ADDR_SET needs CTRL_MAC_ADDR");
                }
                if (body.length != 6) {
                    return reply.err(c, "MAC_ADDR_SET carries 6 bytes, not " + body.length);
                }
                long mac = Packet.mac(body, 0);
                if (Packet.isGroup(mac)) {
                    return reply.err(c, "MAC_ADDR_SET with a group address " + Packet.macString(mac));
                }
                setMac(mac);
            }
            default -> {
                return reply.err(c, "unknown MAC command " + cmd);
            }
        }
        return reply.ok(c);
    }

    @Override
    protected int onCtrlVlan(CtrlVlanRequest request) {
        DescriptorChain c = request.chain();
        if (!ControlReply.answerable(c)) {
            return reply.unanswerable(c);
        }
        if (!has(NetFeatures.CTRL_VLAN)) {
            return reply.err(c, "CTRL_VLAN was not negotiated");
        }
        if (c.readableBytes() != CtrlVlanRequest.Readable.SIZE) {
            return reply.err(c, "a VLAN command carries 2 bytes, not " + (c.readableBytes() - 2));
        }
        int id = request.readable().vlanId();
        if (id >= RxFilter.VLAN_IDS) {
            return reply.err(c, "VLAN ID " + id + " is not below 4096");
        }
        int cmd = request.readable().header().cmd();
        switch (cmd) {
            case VirtioNetCtrlVlanCmd.VIRTIO_NET_CTRL_VLAN_ADD -> filter.vlan(id, true);
            case VirtioNetCtrlVlanCmd.VIRTIO_NET_CTRL_VLAN_DEL -> filter.vlan(id, false);
            default -> {
                return reply.err(c, "unknown VLAN command " + cmd);
            }
        }
        return reply.ok(c);
    }

    @Override
    protected int onCtrlMq(CtrlMqRequest request) {
        DescriptorChain c = request.chain();
        if (!ControlReply.answerable(c)) {
            return reply.unanswerable(c);
        }
        if (!has(NetFeatures.MQ)) {
            return reply.err(c, "MQ was not negotiated");
        }
        if (!request.wellFormed()) {
            return reply.err(c, "an MQ command without its command byte");
        }
        int cmd = request.readable().header().cmd();
        if (cmd != VirtioNetCtrlMqCmd.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET) {
            return reply.err(c, "MQ command " + cmd + " needs RSS or HASH_REPORT, which are not offered");
        }
        if (c.readableBytes() != 4) {
            return reply.err(c, "VQ_PAIRS_SET carries 2 bytes, not " + (c.readableBytes() - 2));
        }
        int pairs = c.readShortLE(2) & 0xffff;
        if (pairs < NetConstants.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > maxPairs) {
            return reply.err(c, "VQ_PAIRS_SET " + pairs + " is outside 1.." + maxPairs);
        }
        activePairs = pairs;
        return reply.ok(c);
    }

    @Override
    protected int onCtrlAnnounce(CtrlAnnounceRequest request) {
        return reply.err(request.chain(), "GUEST_ANNOUNCE is not offered");
    }

    @Override
    protected int onCtrlGuestOffloads(CtrlGuestOffloadsRequest request) {
        return reply.err(request.chain(), "CTRL_GUEST_OFFLOADS is not offered");
    }

    @Override
    protected int onCtrlNotfCoal(CtrlNotfCoalRequest request) {
        return reply.err(request.chain(), "notification coalescing is not offered");
    }

    @Override
    protected int onCtrlStats(CtrlStatsRequest request) {
        return reply.err(request.chain(), "DEVICE_STATS is not offered");
    }

    @Override
    protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) {
        if (queueFamily(queue) == Q_CONTROLQ) {
            return reply.err(chain, "unknown control class " + selector);
        }
        return 0;
    }

    @Override
    protected int onMalformed(int queue, DescriptorChain chain) {
        return reply.err(chain, "a control chain with no readable byte");
    }
}
