package dev.avps.devices.vsock;

import dev.avps.generated.vsock.ReceiveRequest;
import dev.avps.generated.vsock.SendRequest;
import dev.avps.generated.vsock.TransportEventRequest;
import dev.avps.generated.vsock.VirtioVsockHdr;
import dev.avps.generated.vsock.VirtioVsockOp;
import dev.avps.generated.vsock.VirtioVsockShutdown;
import dev.avps.generated.vsock.VirtioVsockType;
import dev.avps.generated.vsock.VsockDeviceBase;
import dev.avps.generated.vsock.VsockFeatures;
import dev.avps.runtime.DescriptorChain;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * virtio-vsock (device ID 19), host side: a guest stream connecting to host port P is bridged to
 * the unix socket {@code PREFIX_P} (the convention of other vhost-user vsock backends), so any
 * host program listening there serves the guest. Features, the config space (guest CID), queues
 * and the dispatch of rx, tx and event chains come from {@link VsockDeviceBase}, generated from
 * spec-models' vsock.avps; headers are read and written through its {@link VirtioVsockHdr} views.
 * The receive queue is device-initiated: an rx buffer with nothing to deliver is parked
 * ({@code DEFER}) until a packet for the guest arrives.
 *
 * <p>Stream sockets are offered explicitly (STREAM) and not implied by anything else
 * (NO_IMPLIED_STREAM, which the spec asks devices to offer); a driver accepting no socket feature at
 * all still gets them, as the spec recommends, but one that accepts NO_IMPLIED_STREAM alone does not.
 *
 * <p>Flow control follows the spec's credit scheme: we never send the guest more than its
 * advertised buffer minus what it has not yet consumed, and we report our own buffer and the
 * bytes we have forwarded to the host program.
 */
public final class VsockDevice extends VsockDeviceBase {

    private static final System.Logger LOG = System.getLogger(VsockDevice.class.getName());
    static final long HOST_CID = 2;
    /** Receive buffer we advertise per connection. */
    static final int BUF_ALLOC = 256 * 1024;

    // Wire values come from the catalog through the generated classes, not retyped here.
    static final int HDR_SIZE = VirtioVsockHdr.SIZE;
    static final int TYPE_STREAM = VirtioVsockType.VIRTIO_VSOCK_TYPE_STREAM;
    static final short OP_REQUEST = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_REQUEST;
    static final short OP_RESPONSE = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_RESPONSE;
    static final short OP_RST = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_RST;
    static final short OP_SHUTDOWN = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_SHUTDOWN;
    static final short OP_RW = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_RW;
    static final short OP_CREDIT_UPDATE = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_CREDIT_UPDATE;
    static final short OP_CREDIT_REQUEST = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_CREDIT_REQUEST;
    static final int SHUTDOWN_BOTH = (int) (VirtioVsockShutdown.VIRTIO_VSOCK_SHUTDOWN_RCV
            | VirtioVsockShutdown.VIRTIO_VSOCK_SHUTDOWN_SEND);

    private final long guestCid;
    private final String udsPrefix;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Packet> toGuest = new ConcurrentLinkedQueue<>();
    private volatile Runnable rxWakeup = () -> { };

    /** A packet waiting for an rx buffer. */
    record Packet(int hostPort, int guestPort, short op, int flags, byte[] data, Connection conn) {
    }

    /**
     * @param guestCid  the guest's context ID, reported in the config space (3 or more)
     * @param udsPrefix host port P maps to the unix socket {@code udsPrefix + "_" + P}
     */
    public VsockDevice(long guestCid, String udsPrefix) {
        super(VsockFeatures.STREAM | VsockFeatures.NO_IMPLIED_STREAM);
        this.guestCid = guestCid;
        this.udsPrefix = udsPrefix;
        config().guestCid(guestCid);
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queueFamily(queue) == Q_RX) {
            rxWakeup = wakeup;
        }
    }

    @Override
    protected int onSend(SendRequest request) {
        fromGuest(request);
        return 0;
    }

    @Override
    protected int onReceive(ReceiveRequest request) {
        return toGuest(request);
    }

    @Override
    protected int onTransportEvent(TransportEventRequest request) {
        return DEFER; // event buffers are only used for transport resets, which this backend never does
    }

    private static long key(int hostPort, int guestPort) {
        return ((long) hostPort << 32) | (guestPort & 0xffffffffL);
    }

    private void fromGuest(SendRequest request) {
        DescriptorChain chain = request.chain();
        if (!request.wellFormed()) {
            return;
        }
        VirtioVsockHdr h = request.readable().hdr();
        int srcPort = (int) h.srcPort();
        int dstPort = (int) h.dstPort();
        if (h.type() != TYPE_STREAM || !streamServed() || h.srcCid() != guestCid || h.dstCid() != HOST_CID) {
            send(new Packet(dstPort, srcPort, OP_RST, 0, null, null));
            return;
        }
        long k = key(dstPort, srcPort);
        Connection c = connections.get(k);
        int bufAlloc = (int) h.bufAlloc();
        int fwdCnt = (int) h.fwdCnt();
        switch ((short) h.op()) {
            case OP_REQUEST -> connect(k, dstPort, srcPort, bufAlloc, fwdCnt);
            case OP_RW -> {
                if (c == null) {
                    send(new Packet(dstPort, srcPort, OP_RST, 0, null, null));
                    return;
                }
                int len = (int) Math.min(h.len(), chain.readableBytes() - HDR_SIZE);
                byte[] data = new byte[len];
                chain.copyFromReadable(HDR_SIZE, data, 0, len);
                c.credit(bufAlloc, fwdCnt);
                c.toHost(data);
            }
            case OP_CREDIT_UPDATE -> {
                if (c != null) {
                    c.credit(bufAlloc, fwdCnt);
                }
            }
            case OP_CREDIT_REQUEST -> {
                if (c != null) {
                    c.credit(bufAlloc, fwdCnt);
                    send(new Packet(dstPort, srcPort, OP_CREDIT_UPDATE, 0, null, c));
                }
            }
            case OP_SHUTDOWN, OP_RST -> {
                if (c != null) {
                    connections.remove(k);
                    c.close();
                }
                if (h.op() == OP_SHUTDOWN) {
                    send(new Packet(dstPort, srcPort, OP_RST, 0, null, null));
                }
            }
            default -> {
                // unknown operations are ignored, as the spec asks of the device
            }
        }
    }

    /** Whether the negotiated features give the driver stream sockets (5.10.3: STREAM, or no feature at all). */
    boolean streamServed() {
        long sockets = negotiated() & (VsockFeatures.STREAM | VsockFeatures.SEQPACKET | VsockFeatures.NO_IMPLIED_STREAM);
        return sockets == 0 || (sockets & VsockFeatures.STREAM) != 0;
    }

    private void connect(long k, int hostPort, int guestPort, int bufAlloc, int fwdCnt) {
        Path target = Path.of(udsPrefix + "_" + hostPort);
        try {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(target));
            Connection c = new Connection(this, hostPort, guestPort, ch);
            c.credit(bufAlloc, fwdCnt);
            Connection old = connections.put(k, c);
            if (old != null) {
                old.close();
            }
            send(new Packet(hostPort, guestPort, OP_RESPONSE, 0, null, c));
            c.start();
        } catch (IOException e) {
            LOG.log(Level.INFO, "vsock: guest port {0} -> host port {1}: no service at {2} ({3})", guestPort, hostPort,
                    target, e.getMessage());
            send(new Packet(hostPort, guestPort, OP_RST, 0, null, null));
        }
    }

    /** Queues a packet for the guest and wakes the rx worker. */
    void send(Packet p) {
        toGuest.add(p);
        rxWakeup.run();
    }

    void closed(Connection c) {
        if (connections.remove(key(c.hostPort, c.guestPort), c)) {
            send(new Packet(c.hostPort, c.guestPort, OP_SHUTDOWN, SHUTDOWN_BOTH, null, c));
        }
    }

    /** The rest of a packet that did not fit the last rx buffer; only the rx worker touches it. */
    private Packet remainder;

    private int toGuest(ReceiveRequest request) {
        DescriptorChain chain = request.chain();
        Packet p = remainder != null ? remainder : toGuest.poll();
        remainder = null;
        if (p == null) {
            return DEFER;
        }
        long room = chain.writableBytes() - HDR_SIZE;
        if (room < 0 || (room == 0 && p.data() != null && p.data().length > 0)) {
            // A buffer that cannot hold even a header plus one byte: skip it, keep the packet.
            remainder = p;
            return 0;
        }
        byte[] data = p.data();
        int len = data == null ? 0 : data.length;
        if (len > room) {
            // The guest's rx buffers are smaller than what the host sent: split the stream data.
            int fit = (int) room;
            remainder = new Packet(p.hostPort(), p.guestPort(), p.op(), p.flags(),
                    java.util.Arrays.copyOfRange(data, fit, len), p.conn());
            data = java.util.Arrays.copyOf(data, fit);
            len = fit;
        }
        int fwd = p.conn() == null ? 0 : p.conn().forwarded();
        request.writable().hdr().srcCid(HOST_CID).dstCid(guestCid).srcPort(p.hostPort() & 0xffffffffL)
                .dstPort(p.guestPort() & 0xffffffffL).len(len).type(TYPE_STREAM).op(p.op())
                .flags(p.flags() & 0xffffffffL).bufAlloc(BUF_ALLOC).fwdCnt(fwd & 0xffffffffL);
        if (len > 0) {
            chain.copyToWritable(HDR_SIZE, data, 0, len);
        }
        return HDR_SIZE + len;
    }

    @Override
    public void reset() {
        super.reset();
        connections.values().forEach(Connection::close);
        connections.clear();
        toGuest.clear();
        remainder = null;
    }
}
