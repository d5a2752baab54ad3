package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.vhostuser.driver.FrontEndException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Minimal well-formed requests built from the model's request formats, shared by the request checks. */
final class Requests {

    private Requests() {
    }

    /** One format with one selecting value (null when the format has none). */
    record Shape(RequestModel format, BigInteger value, int queue) {
        String label() {
            return format.name() + (value == null ? "" : " (" + format.selector().pathText() + " = " + value + ")");
        }
    }

    /** Formats on queues the driver fills with requests; the device-to-driver ones wait for events. */
    static List<RequestModel> driverFormats(DeviceModel d) {
        List<RequestModel> out = new ArrayList<>();
        for (RequestModel r : d.requests()) {
            QueueModel q = Layouts.queue(d, r.queue());
            if (q.direction() == QueueModel.Direction.DRIVER_TO_DEVICE) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every (format, selector value) pair on the driver's queues that exist with the default features. */
    static List<Shape> shapes(CheckContext ctx) throws Inapplicable {
        List<Shape> out = new ArrayList<>();
        for (RequestModel r : driverFormats(ctx.device())) {
            if (!queuePresent(ctx, r)) {
                continue; // e.g. gpio's eventq without IRQ: the queue is not there
            }
            int q = ctx.queueIndex(r.queue());
            if (r.values().isEmpty() || r.selector() == null) {
                out.add(new Shape(r, null, q));
            } else {
                for (BigInteger v : r.values()) {
                    out.add(new Shape(r, v, q));
                }
            }
        }
        if (out.isEmpty()) {
            throw Inapplicable.skip(ctx.device().name() + " has no request format on a driver-to-device queue");
        }
        return out;
    }

    /** Whether the queue of format {@code r} exists with the default features. */
    static boolean queuePresent(CheckContext ctx, RequestModel r) {
        QueueModel queue = Layouts.queue(ctx.device(), r.queue());
        return queue.condition() == null || Layouts.holds(queue.condition(), ctx.defaultFeatures());
    }

    /** The minimal request of a shape: the readable fixed part (if any), then the writable part. */
    static Exchange build(Session s, Shape shape) throws FrontEndException {
        Exchange ex = s.exchange(shape.queue());
        byte[] readable = Layouts.readablePart(shape.format(), shape.value());
        if (readable.length > 0) {
            ex.out(readable);
        }
        int w = Layouts.writableLength(shape.format());
        if (readable.length == 0 && w == 0) {
            // Nothing fixed either way (console's output: an open readable array): a request still carries some bytes.
            ex.out(new byte[16]);
        }
        if (w > 0) {
            ex.in(w);
        }
        return ex;
    }

    /** The status a format ends in and the enum naming its values, if it has one. */
    record Status(FieldLayout field, EnumModel values) {
        /** The status value in a result's writable bytes. */
        long read(Exchange.Result r) {
            return Layouts.read(r.written(), r.written().length - field.size(), field.scalar());
        }

        Optional<EnumModel.Literal> literal(long v) {
            return values.literals().stream().filter(l -> l.value().longValue() == v).findFirst();
        }
    }

    static Optional<Status> status(DeviceModel d, RequestModel format) {
        Optional<FieldLayout> f = Layouts.statusField(format);
        if (f.isEmpty() || f.get().scalar() == null) {
            return Optional.empty();
        }
        return Layouts.enumOf(d, f.get()).map(e -> new Status(f.get(), e));
    }
}
