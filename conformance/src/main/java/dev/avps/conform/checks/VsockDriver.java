package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Inbox;
import dev.avps.conform.Session;
import dev.avps.conform.checks.VsockWire.Packet;
import dev.avps.conform.model.Layouts;
import dev.avps.model.FieldLayout;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The front end playing a vsock guest driver on one session: it knows its CID from the config
 * space, keeps rx buffers posted, sends packets on tx one at a time (each must come back used
 * within the request timeout) and reads what the device answers on rx. Packets of other flows
 * (left over from an earlier session, say) wait in a backlog rather than being lost.
 */
final class VsockDriver {
    static final long HOST_CID = 2;
    /** Room for a header and a modest payload per rx buffer. */
    static final int RX_BUFFER = 4096;
    static final int RX_BUFFERS = 16;

    final CheckContext ctx;
    final Session session;
    final VsockWire wire;
    final long guestCid;
    final Inbox rx;
    private final int txQueue;
    private final List<Packet> backlog = new ArrayList<>();

    /**
     * Opens a session negotiating {@code features}; {@code rxBuffers} rx buffers are posted now.
     * Not checkable without the CONFIG protocol feature: the source CID a driver must use is then
     * unknown.
     */
    VsockDriver(CheckContext ctx, long features, int rxBuffers) throws Exception {
        this.ctx = ctx;
        this.wire = new VsockWire(ctx.device());
        this.session = ctx.open(features);
        if (!session.hasConfig()) {
            throw Inapplicable.notCheckable("no CONFIG protocol feature: the guest CID a driver sends from is unknown");
        }
        this.guestCid = guestCid(ctx, session);
        this.txQueue = Layouts.queueIndex(ctx.device(), "tx");
        this.rx = session.inbox(Layouts.queueIndex(ctx.device(), "rx"), RX_BUFFER);
        rx.post(rxBuffers);
    }

    VsockDriver(CheckContext ctx) throws Exception {
        this(ctx, ctx.defaultFeatures(), RX_BUFFERS);
    }

    static long guestCid(CheckContext ctx, Session s) throws FrontEndException {
        FieldLayout f = ctx.device().config().field("guest_cid")
                .orElseThrow(() -> new IllegalStateException("the catalog's vsock config has no guest_cid"));
        return Layouts.read(s.config(f.offset() + f.size()), f.offset(), f.scalar());
    }

    /** A guest port for a new flow, unlikely to meet one an earlier check left behind. */
    static long guestPort() {
        return ThreadLocalRandom.current().nextLong(1_024, 0x7fff_ffffL);
    }

    /** A packet from this guest to the host, on the stream type unless {@code type} says otherwise. */
    Packet toHost(long guestPort, long hostPort, long type, String op, long flags, long bufAlloc, long fwdCnt,
            byte[] payload) {
        return new Packet(guestCid, HOST_CID, guestPort, hostPort, payload.length, type, wire.op(op), flags, bufAlloc,
                fwdCnt, payload);
    }

    /** Sends one packet on tx and waits (bounded) for the device to take it. */
    void send(Packet p) throws FrontEndException, CheckFailure {
        Exchange ex = session.exchange(txQueue).out(wire.header(p));
        if (p.payload().length > 0) {
            ex.out(p.payload());
        }
        Exchange.Result r = ex.run();
        CheckFailure.require(r.damage().isEmpty(), "sending " + p + ": " + String.join(", ", r.damage()));
    }

    /** The next packet from the device (backlog first), waiting up to {@code millis}; null if none. */
    Packet next(long millis) throws FrontEndException, CheckFailure {
        if (!backlog.isEmpty()) {
            return backlog.remove(0);
        }
        byte[] b = rx.next(millis);
        return b == null ? null : wire.parse(b);
    }

    /**
     * The next packet that {@code wanted} accepts, waiting up to {@code millis} in all; others are
     * kept for later. Null if none came in time.
     */
    Packet await(Predicate<Packet> wanted, long millis) throws FrontEndException, CheckFailure {
        for (Iterator<Packet> it = backlog.iterator(); it.hasNext();) {
            Packet p = it.next();
            if (wanted.test(p)) {
                it.remove();
                return p;
            }
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (;;) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            byte[] b = rx.next(left);
            if (b == null) {
                return null;
            }
            Packet p = wire.parse(b);
            if (wanted.test(p)) {
                return p;
            }
            backlog.add(p);
        }
    }

    /** The next packet of the flow between {@code hostPort} and {@code guestPort}, within the request timeout. */
    Packet awaitFlow(long hostPort, long guestPort, String what) throws FrontEndException, CheckFailure {
        Packet p = await(x -> x.flow(hostPort, guestPort), session.requestMillis());
        CheckFailure.require(p != null, "no answer on rx within " + session.requestMillis() + " ms to " + what);
        CheckFailure.require(p.dstCid() == guestCid, "the answer to " + what + " is addressed to CID " + p.dstCid()
                + ", not the guest's " + guestCid + ": " + p);
        return p;
    }

    /** Ends a flow this driver opened, so the backend forgets it (best effort: the answer is not awaited). */
    void reset(long guestPort, long hostPort) {
        try {
            send(toHost(guestPort, hostPort, wire.type("STREAM"), "RST", 0, 0, 0, new byte[0]));
        } catch (FrontEndException | CheckFailure e) {
            ctx.note("the closing RST was not taken: " + e.getMessage());
        }
    }
}
