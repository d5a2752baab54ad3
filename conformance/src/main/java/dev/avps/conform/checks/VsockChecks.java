package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.checks.VsockWire.Packet;
import dev.avps.model.DeviceModel;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * virtio-vsock behaviour (VIRTIO 1.4 5.10), written by hand: the front end is the guest driver
 * (rx buffers posted, packets sent on tx, answers read on rx). Checks that need a program on the
 * host side listen where the backend connects guest streams (see {@code --vsock-uds}); without
 * that path they are not checkable. The credit checks are in {@link VsockCreditChecks}.
 */
public final class VsockChecks implements CheckFamily {
    /** Packets the rx-full check sends while rx has no buffer, each needing an answer. */
    static final int HELD_REPLIES = 8;
    /** What a driver advertises as its receive buffer when the check does not care. */
    static final long ROOM = 64 * 1024;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("vsock");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("vsock_features_offer_no_implied", "NO_IMPLIED_STREAM is offered (a SHOULD).",
                        VsockChecks::offersNoImplied),
                new Check("vsock_stream_without_features", "With no device feature negotiated, a stream REQUEST to a"
                        + " listening host port is answered RESPONSE and data reaches the host (needs --vsock-uds).",
                        VsockChecks::streamWithoutFeatures),
                new Check("vsock_seqpacket_stream_answer", "With SEQPACKET alone negotiated, a stream REQUEST is"
                        + " answered RESPONSE or RST (either is allowed), never left unanswered.",
                        VsockChecks::seqpacketStreamAnswer),
                new Check("vsock_unknown_type_rst", "A REQUEST of a type the spec does not define is answered RST"
                        + " (with --vsock-uds, while a host peer listens on the port).", VsockChecks::unknownTypeRst),
                new Check("vsock_tx_progress_rx_full", "With no rx buffer posted, " + HELD_REPLIES + " tx packets that"
                        + " each need an answer are still taken; the answers arrive once rx buffers are posted.",
                        VsockChecks::txProgressRxFull),
                new Check("vsock_credit_respected", "Host data reaches the driver only within the credit it"
                        + " advertised (buf_alloc 64, widened by CREDIT_UPDATE), in order (needs --vsock-uds).",
                        VsockCreditChecks::creditRespected),
                new Check("vsock_credit_fields_track", "On a connection, fwd_cnt starts at 0, never goes back nor"
                        + " beyond the bytes sent, and reaches them once the host peer read them (needs --vsock-uds).",
                        VsockCreditChecks::creditFieldsTrack));
    }

    /** The backend's host socket path, or not checkable: these checks need a program on the host side. */
    static Path uds(CheckContext ctx) throws Inapplicable {
        Path uds = ctx.target().vsockUds();
        if (uds == null) {
            throw Inapplicable.notCheckable("needs a host-side peer: give the backend's host socket path with"
                    + " --vsock-uds PATH (a guest connection to host port P reaches a listener at PATH_P)");
        }
        return uds;
    }

    /**
     * Opens a stream connection from guest port {@code g} to the peer's port; fails unless the
     * device answers RESPONSE and connects the host peer.
     */
    static Packet connect(VsockDriver d, VsockHostPeer peer, long g, long bufAlloc, String what) throws Exception {
        d.send(d.toHost(g, peer.port, d.wire.type("STREAM"), "REQUEST", 0, bufAlloc, 0, new byte[0]));
        Packet a = d.awaitFlow(peer.port, g, what);
        CheckFailure.require(a.op() == d.wire.op("RESPONSE"), what + " was answered " + d.wire.opName(a.op())
                + " though a host peer listens on port " + peer.port + ": " + a);
        peer.accept(d.session.requestMillis(), "after answering RESPONSE to " + what);
        return a;
    }

    private static void offersNoImplied(CheckContext ctx) throws Exception {
        long bit = ctx.bit("NO_IMPLIED_STREAM");
        CheckFailure.require((ctx.offered() & bit) != 0, "NO_IMPLIED_STREAM is not offered (features offered 0x"
                + Long.toHexString(ctx.offered()) + ")");
    }

    private static void streamWithoutFeatures(CheckContext ctx) throws Exception {
        Path uds = uds(ctx);
        if ((ctx.offered() & ctx.bit("NO_IMPLIED_STREAM")) != 0 && (ctx.offered() & ctx.bit("STREAM")) == 0) {
            throw Inapplicable.skip("the device offers NO_IMPLIED_STREAM without STREAM: it has no stream sockets");
        }
        VsockDriver d = new VsockDriver(ctx, Session.VERSION_1, VsockDriver.RX_BUFFERS);
        try (VsockHostPeer peer = VsockHostPeer.listen(uds)) {
            long g = VsockDriver.guestPort();
            connect(d, peer, g, ROOM, "a stream REQUEST with no device feature negotiated");
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            d.send(d.toHost(g, peer.port, d.wire.type("STREAM"), "RW", 0, ROOM, 0, ping));
            byte[] got = peer.read(ping.length, d.session.requestMillis());
            CheckFailure.require(Arrays.equals(ping, got), "the host peer read " + Arrays.toString(got) + ", not ping");
            d.reset(g, peer.port);
        }
    }

    private static void seqpacketStreamAnswer(CheckContext ctx) throws Exception {
        if ((ctx.offered() & ctx.bit("SEQPACKET")) == 0) {
            throw Inapplicable.skip("the device does not offer SEQPACKET");
        }
        VsockDriver d = new VsockDriver(ctx, Session.VERSION_1 | ctx.bit("SEQPACKET"), VsockDriver.RX_BUFFERS);
        Path uds = ctx.target().vsockUds();
        try (VsockHostPeer peer = uds == null ? null : VsockHostPeer.listen(uds)) {
            long h = peer == null ? VsockDriver.guestPort() : peer.port;
            long g = VsockDriver.guestPort();
            d.send(d.toHost(g, h, d.wire.type("STREAM"), "REQUEST", 0, ROOM, 0, new byte[0]));
            Packet a = d.awaitFlow(h, g, "a stream REQUEST with SEQPACKET alone negotiated");
            boolean served = a.op() == d.wire.op("RESPONSE");
            CheckFailure.require(served || a.op() == d.wire.op("RST"), "a stream REQUEST with SEQPACKET alone"
                    + " negotiated was answered " + d.wire.opName(a.op()) + ", neither RESPONSE nor RST: " + a);
            ctx.note(served ? "stream served too" : "stream refused with RST"
                    + (peer == null ? " (no host listener: --vsock-uds not given)" : ""));
            if (served) {
                d.reset(g, h);
            }
        }
    }

    private static void unknownTypeRst(CheckContext ctx) throws Exception {
        VsockDriver d = new VsockDriver(ctx);
        Path uds = ctx.target().vsockUds();
        long type = d.wire.unknownType();
        try (VsockHostPeer peer = uds == null ? null : VsockHostPeer.listen(uds)) {
            long h = peer == null ? VsockDriver.guestPort() : peer.port;
            long g = VsockDriver.guestPort();
            d.send(d.toHost(g, h, type, "REQUEST", 0, ROOM, 0, new byte[0]));
            Packet a = d.awaitFlow(h, g, "a REQUEST of unknown type " + type);
            CheckFailure.require(a.op() == d.wire.op("RST"), "a REQUEST of unknown type " + type + " was answered "
                    + d.wire.opName(a.op()) + ", not RST: " + a);
            if (peer == null) {
                ctx.note("no host listener (--vsock-uds not given): the RST does not show the type was judged");
            }
        }
    }

    private static void txProgressRxFull(CheckContext ctx) throws Exception {
        VsockDriver d = new VsockDriver(ctx, ctx.defaultFeatures(), 0);
        Path uds = ctx.target().vsockUds();
        long[] guest = new long[HELD_REPLIES];
        long[] host = new long[HELD_REPLIES];
        for (int i = 0; i < HELD_REPLIES; i++) {
            guest[i] = VsockDriver.guestPort();
            host[i] = uds == null ? VsockDriver.guestPort() : VsockHostPeer.freePort(uds);
            try {
                d.send(d.toHost(guest[i], host[i], d.wire.type("STREAM"), "REQUEST", 0, ROOM, 0, new byte[0]));
            } catch (FrontEndException e) {
                if (e.reason() == FrontEndException.Reason.NO_COMPLETION) {
                    throw new CheckFailure("with no rx buffer posted, tx packet " + (i + 1) + " of " + HELD_REPLIES
                            + " (a REQUEST, which needs an answer) was not taken: " + e.getMessage());
                }
                throw e;
            }
        }
        d.rx.post(VsockDriver.RX_BUFFERS);
        for (int i = 0; i < HELD_REPLIES; i++) {
            final int k = i;
            Packet a = d.await(p -> p.flow(host[k], guest[k]), d.session.requestMillis());
            CheckFailure.require(a != null, "the answer to REQUEST " + (i + 1) + " of " + HELD_REPLIES + ", taken"
                    + " while rx was full, never arrived once rx buffers were posted");
            if (a.op() == d.wire.op("RESPONSE")) {
                d.reset(guest[i], host[i]);
            }
        }
        ctx.note(HELD_REPLIES + " REQUESTs taken with rx empty; every answer delivered afterwards");
    }
}
