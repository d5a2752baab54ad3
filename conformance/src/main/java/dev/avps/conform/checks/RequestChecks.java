package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For each request format (and each value selecting it), a minimal well-formed request: the
 * device must keep its writes inside the writable part, report a used length no larger than it,
 * and write the status the format ends in.
 */
public final class RequestChecks implements CheckFamily {

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("dev_request_within_writable", "For every request format, the device writes nothing outside the writable buffers (guard"
                                + " bytes around every buffer, readable buffers unchanged).",
                        RequestChecks::withinWritable),
                new Check("dev_request_used_len", "For every request format, the used length is at most the writable bytes.",
                        RequestChecks::usedLength),
                new Check("dev_request_status_written", "For every request format ending in a status, the device writes a defined status value.",
                        RequestChecks::statusWritten));
    }

    private interface Verify {
        /** Returns a problem, or null. */
        String check(Requests.Shape shape, Exchange ex, Exchange.Result r);
    }

    private static void each(CheckContext ctx, Verify verify) throws Exception {
        List<Requests.Shape> shapes = Requests.shapes(ctx);
        List<String> problems = new ArrayList<>();
        try (Session s = ctx.open()) {
            for (Requests.Shape shape : shapes) {
                Exchange ex = Requests.build(s, shape);
                Exchange.Result r;
                try {
                    r = ex.run();
                } catch (FrontEndException e) {
                    throw new CheckFailure(shape.label() + ": " + e.getMessage());
                }
                String p = verify.check(shape, ex, r);
                if (p != null) {
                    problems.add(shape.label() + ": " + p);
                }
            }
        }
        CheckFailure.require(problems.isEmpty(), String.join("; ", problems));
        ctx.note(shapes.size() + " request shape(s)");
    }

    private static void withinWritable(CheckContext ctx) throws Exception {
        each(ctx, (shape, ex, r) -> r.damage().isEmpty() ? null : String.join(", ", r.damage()));
    }

    private static void usedLength(CheckContext ctx) throws Exception {
        // The driver queue refuses a used length past the writable bytes (RING_VIOLATION) before
        // the result is seen; the comparison here restates it for the report.
        each(ctx, (shape, ex, r) -> Integer.toUnsignedLong(r.used()) <= ex.writableBytes() ? null
                : "used length " + r.used() + " > " + ex.writableBytes() + " writable bytes");
    }

    private static void statusWritten(CheckContext ctx) throws Exception {
        DeviceModel d = ctx.device();
        if (Requests.driverFormats(d).stream().allMatch(f -> Requests.status(d, f).isEmpty())) {
            throw Inapplicable.skip("no request format of " + d.name() + " ends in a status");
        }
        each(ctx, (shape, ex, r) -> {
            Optional<Requests.Status> st = Requests.status(d, shape.format());
            if (st.isEmpty()) {
                return null;
            }
            long v = st.get().read(r);
            Optional<EnumModel.Literal> l = st.get().literal(v);
            return l.isPresent() ? null : "status 0x" + Long.toHexString(v) + " is no " + st.get().values().name()
                    + " value" + (v == (Exchange.FILL & 0xff) ? " (the byte was never written)" : "");
        });
    }
}
