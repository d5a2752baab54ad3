package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.checks.VsockWire.Packet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * vsock buffer space management (VIRTIO 1.4 5.10.6.3): the device's OP_RW data stays within the
 * credit the driver advertised, and the device's own buf_alloc/fwd_cnt tell the truth. Both need
 * a host peer to send and read data through the backend.
 */
final class VsockCreditChecks {
    /** The driver's receive buffer in the credit check: small, so the host's data needs several windows. */
    static final int WINDOW = 64;
    /** Bytes the host peer sends in the credit check. */
    static final int HOST_BYTES = 300;
    /** How long the driver waits to see whether data beyond a closed window comes. */
    static final long QUIET_MILLIS = 300;
    /** Payloads the driver sends in the fields check, each within the device's credit. */
    static final int[] SENDS = {10, 50, 100};

    private VsockCreditChecks() {
    }

    static void creditRespected(CheckContext ctx) throws Exception {
        VsockDriver d = new VsockDriver(ctx);
        byte[] data = new byte[HOST_BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        try (VsockHostPeer peer = VsockHostPeer.listen(VsockChecks.uds(ctx))) {
            long g = VsockDriver.guestPort();
            long h = peer.port;
            VsockChecks.connect(d, peer, g, WINDOW, "a stream REQUEST advertising buf_alloc " + WINDOW);
            peer.write(data, d.session.requestMillis());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            long fwd = 0; // what the driver has consumed and told the device
            int windows = 1;
            while (got.size() < HOST_BYTES) {
                long inFlight = got.size() - fwd;
                if (inFlight >= WINDOW) {
                    // The window is closed: anything arriving now is beyond the credit.
                    Packet extra = d.await(p -> p.flow(h, g) && p.op() == d.wire.op("RW") && p.len() > 0,
                            QUIET_MILLIS);
                    CheckFailure.require(extra == null, "the device sent " + (extra == null ? 0 : extra.len())
                            + " more bytes with the driver's " + WINDOW + "-byte buffer full (fwd_cnt " + fwd + ", "
                            + got.size() + " received)");
                    fwd = got.size();
                    d.send(d.toHost(g, h, d.wire.type("STREAM"), "CREDIT_UPDATE", 0, WINDOW, fwd, new byte[0]));
                    windows++;
                    continue;
                }
                Packet p = d.await(x -> x.flow(h, g), d.session.requestMillis());
                CheckFailure.require(p != null, "only " + got.size() + " of the " + HOST_BYTES + " bytes the host"
                        + " peer sent reached the driver within " + d.session.requestMillis() + " ms, though it had "
                        + (WINDOW - inFlight) + " bytes of credit left");
                if (p.op() == d.wire.op("CREDIT_REQUEST")) {
                    d.send(d.toHost(g, h, d.wire.type("STREAM"), "CREDIT_UPDATE", 0, WINDOW, fwd, new byte[0]));
                    continue;
                }
                if (p.op() != d.wire.op("RW")) {
                    CheckFailure.require(p.op() == d.wire.op("CREDIT_UPDATE"), "the connection got "
                            + d.wire.opName(p.op()) + " while the host peer's data was due: " + p);
                    continue;
                }
                CheckFailure.require(inFlight + p.len() <= WINDOW, "the device sent " + p.len() + " bytes with only "
                        + (WINDOW - inFlight) + " bytes of credit (buf_alloc " + WINDOW + ", fwd_cnt " + fwd + ", "
                        + got.size() + " received before)");
                got.write(p.payload());
            }
            CheckFailure.require(Arrays.equals(data, got.toByteArray()), "the bytes received differ from those the"
                    + " host peer sent");
            ctx.note(HOST_BYTES + " bytes received in " + windows + " windows of " + WINDOW + " bytes of credit");
            d.reset(g, h);
        }
    }

    /** The device's buf_alloc/fwd_cnt on one connection, judged packet by packet against what the driver sent. */
    private static final class Fields {
        final VsockDriver d;
        long sent;
        long fwd;
        long bufAlloc;

        Fields(VsockDriver d) {
            this.d = d;
        }

        void see(Packet p) throws CheckFailure {
            CheckFailure.require(p.fwdCnt() <= sent, d.wire.opName(p.op()) + " says fwd_cnt " + p.fwdCnt()
                    + ", more than the " + sent + " bytes the driver sent on the connection");
            CheckFailure.require(p.fwdCnt() >= fwd, d.wire.opName(p.op()) + " says fwd_cnt " + p.fwdCnt()
                    + ", less than the " + fwd + " an earlier packet said: the counter went back");
            fwd = p.fwdCnt();
            bufAlloc = p.bufAlloc();
        }

        long free() {
            return bufAlloc - (sent - fwd);
        }
    }

    static void creditFieldsTrack(CheckContext ctx) throws Exception {
        VsockDriver d = new VsockDriver(ctx);
        long stream = d.wire.type("STREAM");
        try (VsockHostPeer peer = VsockHostPeer.listen(VsockChecks.uds(ctx))) {
            long g = VsockDriver.guestPort();
            long h = peer.port;
            Fields f = new Fields(d);
            f.see(VsockChecks.connect(d, peer, g, VsockChecks.ROOM, "a stream REQUEST"));
            for (int len : SENDS) {
                if (f.free() < len) {
                    d.send(d.toHost(g, h, stream, "CREDIT_REQUEST", 0, VsockChecks.ROOM, 0, new byte[0]));
                    awaitOp(d, f, h, g, "CREDIT_UPDATE", "a CREDIT_REQUEST");
                    CheckFailure.require(f.free() >= len, "the device's credit (buf_alloc " + f.bufAlloc + ", fwd_cnt "
                            + f.fwd + ") leaves no room for " + len + " bytes after " + f.sent + " sent and read");
                }
                byte[] payload = new byte[len];
                Arrays.fill(payload, (byte) len);
                d.send(d.toHost(g, h, stream, "RW", 0, VsockChecks.ROOM, 0, payload));
                f.sent += len;
                CheckFailure.require(Arrays.equals(payload, peer.read(len, d.session.requestMillis())),
                        "the host peer read other bytes than the driver sent");
            }
            // The host peer has read everything: the device's fwd_cnt must come to it.
            long deadline = System.nanoTime() + d.session.requestMillis() * 1_000_000;
            do {
                d.send(d.toHost(g, h, stream, "CREDIT_REQUEST", 0, VsockChecks.ROOM, 0, new byte[0]));
                awaitOp(d, f, h, g, "CREDIT_UPDATE", "a CREDIT_REQUEST");
                if (f.fwd == f.sent) {
                    break;
                }
                Thread.sleep(20);
            } while (System.nanoTime() < deadline);
            CheckFailure.require(f.fwd == f.sent, "the host peer read all " + f.sent + " bytes, but the device's"
                    + " CREDIT_UPDATE still says fwd_cnt " + f.fwd);
            // Data from the host carries the same counters.
            peer.write("pong".getBytes(StandardCharsets.US_ASCII), d.session.requestMillis());
            Packet rw = awaitOp(d, f, h, g, "RW", "data the host peer sent");
            CheckFailure.require(rw.fwdCnt() == f.sent, "an RW packet says fwd_cnt " + rw.fwdCnt() + " after the"
                    + " device reported " + f.sent);
            ctx.note("fwd_cnt followed " + f.sent + " bytes; buf_alloc " + f.bufAlloc);
            d.reset(g, h);
        }
    }

    /** The next packet of the flow with operation {@code op}; every packet of the flow on the way is judged. */
    private static Packet awaitOp(VsockDriver d, Fields f, long h, long g, String op, String what) throws Exception {
        long deadline = System.nanoTime() + d.session.requestMillis() * 1_000_000;
        for (;;) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            Packet p = left > 0 ? d.await(x -> x.flow(h, g), left) : null;
            CheckFailure.require(p != null, "no " + op + " within " + d.session.requestMillis() + " ms after " + what);
            f.see(p);
            if (p.op() == d.wire.op(op)) {
                return p;
            }
        }
    }
}
