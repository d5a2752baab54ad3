package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.RequestModel;
import dev.avps.vhostuser.driver.DriverRing;
import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import dev.avps.vhostuser.driver.HostileChain;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Chains a driver must never send. The device must answer each with an error status, or give up
 * on the queue (error eventfd, or DEVICE_NEEDS_RESET in its status): never leave it unanswered,
 * never drop the connection, and still serve a new one afterwards.
 */
public final class MalformedChecks implements CheckFamily {
    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("dev_malformed_short_readable", "A request whose readable part is one byte shorter than its format's fixed part.",
                        MalformedChecks::shortReadable),
                new Check("dev_malformed_no_writable", "A request with its readable part only: nowhere to write a status.",
                        MalformedChecks::noWritable),
                new Check("dev_malformed_readable_after_writable", "A chain with a device-readable descriptor after a device-writable one.",
                        MalformedChecks::readableAfterWritable),
                new Check("dev_malformed_unknown_selector", "A request whose selector names no format: answered with an error status.",
                        MalformedChecks::unknownSelector));
    }

    private static RequestModel first(CheckContext ctx, java.util.function.Predicate<RequestModel> p, String why)
            throws Inapplicable {
        // Only formats on queues the default features make exist (console's control queues need MULTIPORT).
        return Requests.driverFormats(ctx.device()).stream().filter(r -> Requests.queuePresent(ctx, r)).filter(p).findFirst()
                .orElseThrow(() -> Inapplicable.skip(ctx.device().name() + " has no request format " + why));
    }

    private static void shortReadable(CheckContext ctx) throws Exception {
        RequestModel f = first(ctx, r -> r.readable().size() >= 2, "with a readable fixed part");
        BigInteger v = f.values().isEmpty() ? null : f.values().get(0);
        byte[] readable = Layouts.readablePart(f, v);
        send(ctx, f, "a " + (readable.length - 1) + "-byte readable part for " + f.name(),
                Arrays.copyOf(readable, readable.length - 1), Math.max(1, Layouts.writableLength(f)), true);
    }

    private static void noWritable(CheckContext ctx) throws Exception {
        RequestModel f = first(ctx, r -> Layouts.writableLength(r) > 0, "with a writable part");
        byte[] readable = Layouts.readablePart(f, f.values().isEmpty() ? null : f.values().get(0));
        if (readable.length == 0) {
            readable = new byte[16]; // a format that reads nothing: a readable buffer is all there is
        }
        send(ctx, f, f.name() + " without its writable part", readable, 0, false);
    }

    private static void unknownSelector(CheckContext ctx) throws Exception {
        RequestModel f = first(ctx, r -> r.selector() != null && Layouts.unusedSelector(ctx.device(), r).isPresent(),
                "with a selector");
        BigInteger v = Layouts.unusedSelector(ctx.device(), f).orElseThrow();
        send(ctx, f, f.selector().pathText() + " = " + v + " (no format)", Layouts.readablePart(f, v),
                Math.max(1, Layouts.writableLength(f)), true);
    }

    /** Sends one malformed request and judges the answer; an error status is required when {@code wantError}. */
    private static void send(CheckContext ctx, RequestModel f, String what, byte[] readable, int writable,
            boolean wantError) throws Exception {
        int q = ctx.queueIndex(f.queue());
        try (Session s = ctx.open()) {
            Exchange ex = s.exchange(q);
            if (readable.length > 0) {
                ex.out(readable);
            }
            if (writable > 0) {
                ex.in(writable);
            }
            Exchange.Result r;
            try {
                r = ex.run();
            } catch (FrontEndException e) {
                ctx.note(gaveUp(s, e, what));
                r = null;
            }
            if (r == null) {
                s.close(); // a backend serving one front end at a time takes the next only after this one left
                ctx.requireAlive(what);
                return;
            }
            Optional<Requests.Status> st = Requests.status(ctx.device(), f);
            if (wantError && st.isPresent() && writable > 0) {
                long value = st.get().read(r);
                Optional<EnumModel.Literal> l = st.get().literal(value);
                CheckFailure.require(l.isPresent() && !Layouts.isOk(l.get()), what + ": completed with status 0x"
                        + Long.toHexString(value) + (l.isPresent() ? " (" + l.get().name() + ")"
                        : value == (Exchange.FILL & 0xff) ? " (never written)" : "") + ", not an error status");
                ctx.note(what + ": " + l.get().name());
            } else {
                ctx.note(what + ": completed, used length " + r.used());
            }
        }
        ctx.requireAlive(what);
    }

    /**
     * The device did not complete the chain: fine if it gave up on the queue (error eventfd or
     * NEEDS_RESET), a failure if it hung or dropped the connection. Returns the note for a pass.
     */
    private static String gaveUp(Session s, FrontEndException e, String what) throws CheckFailure {
        if (e.reason() == Reason.DEVICE_ERROR) {
            return what + ": the backend stopped the queue (error eventfd)";
        }
        if (e.reason() == Reason.NO_COMPLETION) {
            long status;
            try {
                status = s.status();
            } catch (FrontEndException again) {
                throw new CheckFailure(what + ": never completed, and then " + again.getMessage());
            }
            if (status >= 0 && (status & Session.S_NEEDS_RESET) != 0) {
                return what + ": DEVICE_NEEDS_RESET set";
            }
            throw new CheckFailure(what + ": neither completed nor refused within " + s.requestMillis()
                    + " ms (no error eventfd" + (status >= 0 ? ", status 0x" + Long.toHexString(status) : "")
                    + "): the request hangs");
        }
        if (e.reason() == Reason.RING_VIOLATION) {
            throw new CheckFailure(what + ": " + e.getMessage());
        }
        throw new CheckFailure(what + ": the backend dropped the connection instead of refusing the request ("
                + e.getMessage() + ")");
    }

    private static void readableAfterWritable(CheckContext ctx) throws Exception {
        RequestModel f = Requests.driverFormats(ctx.device()).stream().findFirst()
                .orElseThrow(() -> Inapplicable.skip(ctx.device().name() + " has no driver-to-device queue"));
        String what = "a writable descriptor followed by a readable one";
        try (Session s = ctx.open()) {
            DriverRing ring = s.ring(ctx.queueIndex(f.queue()));
            HostileChain.READABLE_AFTER_WRITABLE.inject(ring.raw(), s.scratch(64));
            ring.kick();
            try {
                ring.awaitUsed(s.requestMillis());
            } catch (FrontEndException e) {
                if (e.reason() == Reason.RING_VIOLATION) {
                    // The driver queue did not submit the raw chain, so any used entry is "unknown" to it.
                    ctx.note(what + ": completed (used) rather than refused");
                } else {
                    ctx.note(gaveUp(s, e, what));
                }
            }
        }
        ctx.requireAlive(what);
    }
}
