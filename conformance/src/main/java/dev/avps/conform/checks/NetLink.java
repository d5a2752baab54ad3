package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.FieldLayout;
import dev.avps.runtime.Completion;
import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The front end playing a virtio-net driver on one session: receiveq1 and transmitq1 started (a
 * vhost-user net backend such as DPDK's starts forwarding only once both are), receive buffers
 * posted as {@link Exchange}s so each comes back with its guard bytes judged, frames sent on the
 * transmit queue, commands on the control queue, and the peer behind the device named by the
 * target ({@code --net-peer}) reached with ICMP echo probes that both kinds of peer answer.
 */
final class NetLink {
    static final int RX_QUEUE = 0;
    static final int TX_QUEUE = 1;
    /** Room for a header and a full Ethernet frame. */
    static final int RX_BUFFER = 2048;
    /** The driver's made-up IPv4 address and, without a config space, its made-up MAC (locally administered). */
    static final int GUEST_IP = 0x0a00_020f;
    static final long MADE_UP_MAC = 0x02_a5_c0_00_00_01L;
    /** Where probes go when the peer echoes whatever comes: an address nobody has (TEST-NET-1). */
    static final long ECHO_DST = 0x02_a5_c0_00_00_eeL;
    static final int ECHO_IP = 0xc000_0201;

    final CheckContext ctx;
    final Session session;
    final NetWire wire;
    final long guestMac;
    private final int ctrlQueue;
    private final List<Exchange> posted = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private long peerMac = -1;
    private int seq;

    NetLink(CheckContext ctx, long features) throws Exception {
        this(ctx, features, true);
    }

    /** With {@code start} false the queues (and so DRIVER_OK) wait for the first use. */
    NetLink(CheckContext ctx, long features, boolean start) throws Exception {
        this.ctx = ctx;
        this.wire = new NetWire(ctx.device());
        this.session = ctx.open(features);
        byte[] config = session.hasConfig() ? config() : null;
        this.guestMac = config != null && has("MAC") ? NetWire.mac(config, field("mac").offset()) : MADE_UP_MAC;
        // The control queue follows the queue pairs, as the model numbers it; with MQ their count
        // is in the config, so without the config the queue cannot be found.
        this.ctrlQueue = has("CTRL_VQ") && (config != null || !has("MQ"))
                ? Layouts.queueIndex(ctx.device(), "controlq", session.negotiated(),
                        Layouts.fields(ctx.device().config(), config))
                : -1;
        if (start) {
            start();
        }
    }

    /** Starts receiveq1 and transmitq1 (DRIVER_OK goes with the first). */
    void start() throws FrontEndException {
        session.ring(RX_QUEUE);
        session.ring(TX_QUEUE);
    }

    /** Whether the session negotiated the feature. */
    boolean has(String feature) {
        return ctx.device().feature(feature).map(f -> (session.negotiated() & (1L << f.bit())) != 0).orElse(false);
    }

    /** Features to negotiate: every offered one but these (guest offloads, MQ...: what a check must keep out). */
    static long without(CheckContext ctx, String... features) {
        long f = ctx.defaultFeatures();
        for (String n : features) {
            // Bits from 64 on are never negotiated by this front end (and would wrap a long's shift).
            if (ctx.device().feature(n).filter(x -> x.bit() < 64).isPresent()) {
                f &= ~ctx.bit(n);
            }
        }
        return f;
    }

    /** The receive offloads: without them the device owes a header with flags 0 and gso_type NONE. */
    static final String[] GUEST_OFFLOADS = {"GUEST_CSUM", "GUEST_TSO4", "GUEST_TSO6", "GUEST_ECN", "GUEST_UFO",
        "GUEST_USO4", "GUEST_USO6", "GUEST_UDP_TUNNEL_GSO", "GUEST_UDP_TUNNEL_GSO_CSUM", "CTRL_GUEST_OFFLOADS",
        "HASH_REPORT", "HASH_TUNNEL", "RSS", "RSS_CONTEXT", "MQ"};

    // ---- config ----

    FieldLayout field(String name) {
        return ctx.device().config().field(name)
                .orElseThrow(() -> new IllegalStateException("the catalog's net config has no " + name));
    }

    byte[] config() throws FrontEndException {
        return session.config(Layouts.configSize(ctx.device().config(), session.negotiated()));
    }

    long configValue(String name) throws FrontEndException {
        FieldLayout f = field(name);
        return Layouts.read(config(), f.offset(), f.scalar());
    }

    // ---- transmit ----

    /** Sends {@code header} and {@code frame} in one descriptor and waits (bounded) for the device to use it. */
    Exchange.Result send(byte[] header, byte[] frame) throws FrontEndException, CheckFailure {
        byte[] p = Arrays.copyOf(header, header.length + frame.length);
        System.arraycopy(frame, 0, p, header.length, frame.length);
        Exchange.Result r = session.exchange(TX_QUEUE).out(p).run();
        CheckFailure.require(r.damage().isEmpty(), "sending a " + frame.length + "-byte frame: " + r.damage());
        return r;
    }

    // ---- receive ----

    /**
     * One used receive buffer.
     *
     * @param bytes  the first {@code used} bytes of the buffer
     * @param size   the buffer's size
     * @param damage what the device changed outside the buffer
     */
    record Rx(byte[] bytes, int used, int size, List<String> damage) {
        /** The frame after a header of {@code hdr} bytes (what this buffer holds of it). */
        byte[] frame(int hdr) {
            return bytes.length <= hdr ? new byte[0] : Arrays.copyOfRange(bytes, hdr, bytes.length);
        }
    }

    /** Posts {@code count} receive buffers of {@code size} bytes. */
    void post(int count, int size) throws FrontEndException {
        for (int i = 0; i < count; i++) {
            Exchange ex = session.exchange(RX_QUEUE).in(size);
            ex.submit(posted.size());
            posted.add(ex);
            sizes.add(size);
        }
    }

    /** The next used receive buffer within {@code millis}, or null; a fresh buffer of its size is posted in its place. */
    Rx receive(long millis) throws FrontEndException, CheckFailure {
        Completion c;
        try {
            c = session.awaitUsed(RX_QUEUE, Math.max(1, millis));
        } catch (FrontEndException e) {
            if (e.reason() == Reason.NO_COMPLETION) {
                return null;
            }
            throw e;
        }
        int i = (int) c.cookie();
        CheckFailure.require(i >= 0 && i < posted.size(), "receiveq: used entry for buffer " + i + ", never posted");
        int size = sizes.get(i);
        Exchange.Result r = posted.get(i).collect(c.length());
        CheckFailure.require(Integer.toUnsignedLong(c.length()) <= size, "receiveq: used length "
                + Integer.toUnsignedLong(c.length()) + " for a " + size + "-byte buffer");
        post(1, size);
        return new Rx(Arrays.copyOf(r.written(), c.length()), c.length(), size, r.damage());
    }

    // ---- the peer ----

    /** Not checkable unless the target names the peer behind the device. */
    void requirePeer() throws Inapplicable {
        if (ctx.target().netPeer() == null) {
            throw Inapplicable.notCheckable("no peer behind the device is named: a frame must come back to be judged"
                    + " (--net-peer echo for testpmd's macswap or avps-serve --echo; --net-peer IP for a host"
                    + " answering ARP and ping, such as avps-serve --host-ip)");
        }
    }

    private boolean echoPeer() {
        return "echo".equals(ctx.target().netPeer());
    }

    int peerIp() {
        return echoPeer() ? ECHO_IP : NetWire.ipv4(ctx.target().netPeer());
    }

    /** Where probes go: a made-up address for an echoing peer, the host's MAC (asked by ARP) otherwise. */
    long peerMac() throws Exception {
        requirePeer();
        if (peerMac >= 0) {
            return peerMac;
        }
        if (echoPeer()) {
            return peerMac = ECHO_DST;
        }
        send(wire.header(0), NetWire.arpRequest(guestMac, GUEST_IP, peerIp()));
        long deadline = System.nanoTime() + session.requestMillis() * 1_000_000;
        for (long left = session.requestMillis(); left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            Rx rx = receive(left);
            if (rx == null) {
                break;
            }
            long m = NetWire.arpReplyFrom(rx.frame(wire.hdrSize), peerIp());
            if (m >= 0) {
                return peerMac = m;
            }
        }
        throw Inapplicable.notCheckable("no ARP reply from the peer " + ctx.target().netPeer() + " within "
                + session.requestMillis() + " ms: no frame came back to judge");
    }

    /** A probe's identity: its ICMP id and sequence number. */
    record Probe(int id, int seq, byte[] frame) {
    }

    /** Sends an ICMP echo probe of {@code payload} bytes from {@code src} with these header flags. */
    Probe sendProbe(long src, int flags, int payload) throws Exception {
        long dst = peerMac();
        int s = ++seq;
        int id = (int) (ProcessHandle.current().pid() & 0xffff);
        byte[] f = NetWire.probe(dst, src, GUEST_IP, peerIp(), id, s, payload);
        send(wire.header(flags), f);
        return new Probe(id, s, f);
    }

    /**
     * The first buffer of the answer to {@code p}, waiting up to {@code millis}; null when none came.
     * Other frames met on the way are dropped.
     */
    Rx await(Probe p, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            Rx rx = receive(left);
            if (rx == null) {
                return null;
            }
            if (NetWire.answers(rx.frame(wire.hdrSize), p.id(), p.seq())) {
                return rx;
            }
        }
        return null;
    }

    /** The answer to {@code p} within the request timeout; not checkable when the peer sends nothing back. */
    Rx answer(Probe p) throws Exception {
        Rx rx = await(p, session.requestMillis());
        if (rx == null) {
            throw Inapplicable.notCheckable("the peer (" + ctx.target().netPeer() + ") returned no answer to an ICMP"
                    + " echo probe of " + p.frame().length + " bytes within " + session.requestMillis() + " ms");
        }
        return rx;
    }

    // ---- control queue ----

    /** Sends one control command and returns the ack byte as the device left it ({@link Exchange#FILL} if unwritten). */
    int command(int cls, int cmd, byte[] data) throws Exception {
        if (ctrlQueue < 0) {
            throw Inapplicable.notCheckable("MQ without the CONFIG protocol feature: max_virtqueue_pairs, and so"
                    + " the control queue's index, is unknown");
        }
        if (ctrlQueue >= 16) {
            throw Inapplicable.notCheckable("the control queue is queue " + ctrlQueue + ", beyond the 16 this front"
                    + " end sets up");
        }
        Exchange ex = session.exchange(ctrlQueue).out(new byte[] {(byte) cls, (byte) cmd});
        if (data.length > 0) {
            ex.out(data);
        }
        Exchange.Result r = ex.in(1).run();
        CheckFailure.require(r.damage().isEmpty(), "control command " + cls + "/" + cmd + ": " + r.damage());
        return r.written()[0] & 0xff;
    }

    long ack(String name) {
        return wire.literal("virtio_net_ctrl_ack", "VIRTIO_NET_" + name);
    }

    String ackName(int v) {
        if (v == ack("OK")) {
            return "VIRTIO_NET_OK";
        }
        if (v == ack("ERR")) {
            return "VIRTIO_NET_ERR";
        }
        return v == (Exchange.FILL & 0xff) ? "no ack written (0x" + Integer.toHexString(v) + ")" : "undefined ack " + v;
    }

    /** Sends a command and fails unless the ack is {@code expected} (OK or ERR). */
    void expect(String expected, String what, int cls, int cmd, byte[] data) throws Exception {
        int got = command(cls, cmd, data);
        CheckFailure.require(got == ack(expected), what + ": " + ackName(got) + ", expected VIRTIO_NET_" + expected);
    }

    int ctrlClass(String name) {
        return (int) wire.literal("virtio_net_ctrl_class", "VIRTIO_NET_CTRL_" + name);
    }
}
