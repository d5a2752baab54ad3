package dev.avps.devices.vsock;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * virtio-vsock (device ID 19), host side: a guest stream connecting to host port P is bridged to
 * the unix socket {@code PREFIX_P} (the convention of other vhost-user vsock backends), so any
 * host program listening there serves the guest. Queues: 0 rx (to the guest), 1 tx (from the
 * guest), 2 event (never used here).
 *
 * <p>Flow control follows the spec's credit scheme: we never send the guest more than its
 * advertised buffer minus what it has not yet consumed, and we report our own buffer and the
 * bytes we have forwarded to the host program.
 */
public final class VsockDevice implements VirtioDevice {

    private static final System.Logger LOG = System.getLogger(VsockDevice.class.getName());
    static final long HOST_CID = 2;
    static final int RX = 0;
    static final int TX = 1;
    static final int EVENT = 2;
    /** Receive buffer we advertise per connection. */
    static final int BUF_ALLOC = 256 * 1024;
    private static final long VERSION_1 = 1L << 32;

    private final long guestCid;
    private final String udsPrefix;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Packet> toGuest = new ConcurrentLinkedQueue<>();
    private final VsockHeader txHeader = new VsockHeader();
    private final VsockHeader rxHeader = new VsockHeader();
    private volatile Runnable rxWakeup = () -> { };

    /** A packet waiting for an rx buffer. */
    record Packet(int hostPort, int guestPort, short op, int flags, byte[] data, Connection conn) {
    }

    /**
     * @param guestCid  the guest's context ID, reported in the config space (3 or more)
     * @param udsPrefix host port P maps to the unix socket {@code udsPrefix + "_" + P}
     */
    public VsockDevice(long guestCid, String udsPrefix) {
        this.guestCid = guestCid;
        this.udsPrefix = udsPrefix;
    }

    @Override
    public long features() {
        return VERSION_1;
    }

    @Override
    public int queueCount() {
        return 3;
    }

    @Override
    public int configSize() {
        return 8;
    }

    @Override
    public void readConfig(int offset, byte[] dst) {
        byte[] cfg = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(guestCid).array();
        System.arraycopy(cfg, offset, dst, 0, Math.min(dst.length, 8 - offset));
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queue == RX) {
            rxWakeup = wakeup;
        }
    }

    @Override
    public int handle(int queue, DescriptorChain chain) throws VirtqueueException {
        return switch (queue) {
            case TX -> {
                fromGuest(chain);
                yield 0;
            }
            case RX -> toGuest(chain);
            default -> DEFER; // event buffers are only used for transport resets
        };
    }

    private static long key(int hostPort, int guestPort) {
        return ((long) hostPort << 32) | (guestPort & 0xffffffffL);
    }

    private void fromGuest(DescriptorChain chain) {
        if (chain.readableBytes() < VsockHeader.SIZE) {
            return;
        }
        chain.copyFromReadable(0, txHeader.bytes, 0, VsockHeader.SIZE);
        VsockHeader h = txHeader;
        if (h.type() != VsockHeader.TYPE_STREAM || h.srcCid() != guestCid || h.dstCid() != HOST_CID) {
            send(new Packet(h.dstPort(), h.srcPort(), VsockHeader.OP_RST, 0, null, null));
            return;
        }
        long k = key(h.dstPort(), h.srcPort());
        Connection c = connections.get(k);
        switch (h.op()) {
            case VsockHeader.OP_REQUEST -> connect(k, h.dstPort(), h.srcPort(), h.bufAlloc(), h.fwdCnt());
            case VsockHeader.OP_RW -> {
                if (c == null) {
                    send(new Packet(h.dstPort(), h.srcPort(), VsockHeader.OP_RST, 0, null, null));
                    return;
                }
                int len = (int) Math.min(Integer.toUnsignedLong(h.len()), chain.readableBytes() - VsockHeader.SIZE);
                byte[] data = new byte[len];
                chain.copyFromReadable(VsockHeader.SIZE, data, 0, len);
                c.credit(h.bufAlloc(), h.fwdCnt());
                c.toHost(data);
            }
            case VsockHeader.OP_CREDIT_UPDATE -> {
                if (c != null) {
                    c.credit(h.bufAlloc(), h.fwdCnt());
                }
            }
            case VsockHeader.OP_CREDIT_REQUEST -> {
                if (c != null) {
                    c.credit(h.bufAlloc(), h.fwdCnt());
                    send(new Packet(h.dstPort(), h.srcPort(), VsockHeader.OP_CREDIT_UPDATE, 0, null, c));
                }
            }
            case VsockHeader.OP_SHUTDOWN, VsockHeader.OP_RST -> {
                if (c != null) {
                    connections.remove(k);
                    c.close();
                }
                if (h.op() == VsockHeader.OP_SHUTDOWN) {
                    send(new Packet(h.dstPort(), h.srcPort(), VsockHeader.OP_RST, 0, null, null));
                }
            }
            default -> {
                // unknown operations are ignored, as the spec asks of the device
            }
        }
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
            send(new Packet(hostPort, guestPort, VsockHeader.OP_RESPONSE, 0, null, c));
            c.start();
        } catch (IOException e) {
            LOG.log(Level.INFO, "vsock: guest port {0} -> host port {1}: no service at {2} ({3})", guestPort, hostPort,
                    target, e.getMessage());
            send(new Packet(hostPort, guestPort, VsockHeader.OP_RST, 0, null, null));
        }
    }

    /** Queues a packet for the guest and wakes the rx worker. */
    void send(Packet p) {
        toGuest.add(p);
        rxWakeup.run();
    }

    void closed(Connection c) {
        if (connections.remove(key(c.hostPort, c.guestPort), c)) {
            send(new Packet(c.hostPort, c.guestPort, VsockHeader.OP_SHUTDOWN, VsockHeader.SHUTDOWN_BOTH, null, c));
        }
    }

    /** The rest of a packet that did not fit the last rx buffer; only the rx worker touches it. */
    private Packet remainder;

    private int toGuest(DescriptorChain chain) {
        Packet p = remainder != null ? remainder : toGuest.poll();
        remainder = null;
        if (p == null) {
            return DEFER;
        }
        long room = chain.writableBytes() - VsockHeader.SIZE;
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
        rxHeader.set(HOST_CID, guestCid, p.hostPort(), p.guestPort(), len, p.op(), p.flags(), BUF_ALLOC, fwd);
        chain.copyToWritable(0, rxHeader.bytes, 0, VsockHeader.SIZE);
        if (len > 0) {
            chain.copyToWritable(VsockHeader.SIZE, data, 0, len);
        }
        return VsockHeader.SIZE + len;
    }

    @Override
    public void reset() {
        connections.values().forEach(Connection::close);
        connections.clear();
        toGuest.clear();
        remainder = null;
    }
}
