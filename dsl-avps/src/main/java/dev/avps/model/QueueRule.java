package dev.avps.model;

import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * How many virtqueues a device has and how long its config space is, for one set of features and
 * the config values only the device knows (blk's {@code num_queues}, console's
 * {@code max_nr_ports}). Front ends that must be told these numbers up front (QEMU's generic
 * vhost-user device takes {@code num_vqs} and {@code config_size}) get them from here rather than
 * from a user counting queues by hand.
 */
public final class QueueRule {

    private QueueRule() {
    }

    /** A rule needs a config value nobody gave. */
    public static final class MissingValue extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        MissingValue(String field, String why) {
            super(why);
            this.field = field;
        }

        /** The config field whose value is needed. */
        public String field() {
            return field;
        }
    }

    /**
     * The number of queues: one past the highest index any present queue instance takes.
     *
     * @param features whether a feature bit is negotiated
     * @param fields   config field values by name (empty: not known)
     */
    public static int queueCount(DeviceModel device, IntPredicate features, Function<String, OptionalLong> fields)
            throws MissingValue {
        long end = 0;
        for (QueueModel q : device.queues()) {
            if (q.condition() != null && !q.condition().holds(features)) {
                continue;
            }
            long count = value(q.count(), features, fields, "the count of queue " + q.name());
            if (count <= 0) {
                continue;
            }
            long first = value(q.firstIndex(), features, fields, "the index of queue " + q.name());
            end = Math.max(end, first + (count - 1) * q.stride() + 1);
        }
        return Math.toIntExact(end);
    }

    /**
     * Bytes up to the end of the last field of {@code config} present under {@code features} (0
     * for a device without config): what a driver may read, and what QEMU's generic front end is
     * told.
     */
    public static int configSize(StructLayout config, IntPredicate features) {
        if (config == null) {
            return 0;
        }
        int end = 0;
        for (FieldLayout f : config.fields()) {
            if (f.base() == FieldLayout.OffsetBase.START && (f.condition() == null || f.condition().holds(features))) {
                end = Math.max(end, f.offset() + f.size());
            }
        }
        return end;
    }

    /** An integer expression's value; {@code what} names it in the error when a field value is missing. */
    public static long value(ValueExpr e, IntPredicate features, Function<String, OptionalLong> fields, String what)
            throws MissingValue {
        if (e == null) {
            return 1;
        }
        OptionalLong c = e.constantValue();
        if (c.isPresent()) {
            return c.getAsLong();
        }
        if (e instanceof ValueExpr.If i) {
            return value(i.condition().holds(features) ? i.then() : i.otherwise(), features, fields, what);
        }
        if (e instanceof ValueExpr.FieldRef f) {
            OptionalLong v = fields.apply(f.name());
            if (v.isEmpty()) {
                throw new MissingValue(f.name(), what + " depends on config field " + f.name() + " under these features");
            }
            return v.getAsLong();
        }
        ValueExpr.Binary b = (ValueExpr.Binary) e;
        long l = value(b.left(), features, fields, what);
        long r = value(b.right(), features, fields, what);
        return switch (b.op()) {
            case '+' -> l + r;
            case '-' -> l - r;
            case '*' -> l * r;
            default -> {
                if (r == 0) {
                    throw new ArithmeticException(what + " divides by zero");
                }
                yield l / r;
            }
        };
    }
}
