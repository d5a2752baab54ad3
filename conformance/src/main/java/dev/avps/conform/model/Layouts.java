package dev.avps.conform.model;

import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureExpr;
import dev.avps.model.FieldLayout;
import dev.avps.model.QueueModel;
import dev.avps.model.QueueRule;
import dev.avps.model.RequestModel;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import dev.avps.model.ValueExpr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What the model says about bytes, read for a set of negotiated features: which config fields
 * exist, how long the config space is, where the reserved bytes are, what a request of each format
 * looks like. Multi-byte values are little-endian unless the field says big (VERSION_1 devices).
 */
public final class Layouts {

    private Layouts() {
    }

    /** Whether a field exists when {@code features} (bits 0..63) are negotiated. */
    public static boolean present(FieldLayout f, long features) {
        return f.condition() == null || holds(f.condition(), features);
    }

    public static boolean holds(FeatureExpr e, long features) {
        return e.holds(bit -> bit < 64 && (features & (1L << bit)) != 0);
    }

    /** The config fields that exist under {@code features}, in order. */
    public static List<FieldLayout> presentFields(StructLayout config, long features) {
        return config.fields().stream().filter(f -> present(f, features) && f.base() == FieldLayout.OffsetBase.START)
                .toList();
    }

    /** Bytes up to the end of the last config field that exists under {@code features}. */
    public static int configSize(StructLayout config, long features) {
        return dev.avps.model.QueueRule.configSize(config, bit -> bit < 64 && (features & (1L << bit)) != 0);
    }

    /** The reserved byte ranges of the config space that exist under {@code features}: {offset, length}. */
    public static List<int[]> reservedRanges(StructLayout config, long features) {
        List<int[]> out = new ArrayList<>();
        for (FieldLayout f : presentFields(config, features)) {
            collectReserved(f, f.offset(), out);
        }
        return out;
    }

    private static void collectReserved(FieldLayout f, int at, List<int[]> out) {
        if (f.reserved()) {
            out.add(new int[] {at, f.size()});
        } else if (f.nested() != null && f.isFixedSize()) {
            for (int i = 0; i < f.count(); i++) {
                for (FieldLayout n : f.nested().fields()) {
                    if (n.base() == FieldLayout.OffsetBase.START) {
                        collectReserved(n, at + i * f.elementSize() + n.offset(), out);
                    }
                }
            }
        }
    }

    /** An unsigned scalar read from {@code bytes} at the field's offset. */
    public static long read(byte[] bytes, int offset, ScalarType type) {
        long v = 0;
        int n = type.size();
        for (int i = 0; i < n; i++) {
            int b = bytes[offset + i] & 0xff;
            v |= (long) b << (8 * (type.order() == dev.avps.model.ByteOrder.BIG ? n - 1 - i : i));
        }
        return v;
    }

    public static void write(byte[] bytes, int offset, ScalarType type, long value) {
        int n = type.size();
        for (int i = 0; i < n; i++) {
            int shift = 8 * (type.order() == dev.avps.model.ByteOrder.BIG ? n - 1 - i : i);
            bytes[offset + i] = (byte) (value >>> shift);
        }
    }

    /** The value of an integer expression, config fields read from {@code config}; empty if it cannot tell. */
    public static OptionalLong evaluate(ValueExpr e, StructLayout layout, byte[] config, long features) {
        if (e == null) {
            return OptionalLong.of(1);
        }
        OptionalLong c = e.constantValue();
        if (c.isPresent()) {
            return c;
        }
        if (e instanceof ValueExpr.If i) {
            return evaluate(holds(i.condition(), features) ? i.then() : i.otherwise(), layout, config, features);
        }
        if (e instanceof ValueExpr.FieldRef ref && layout != null && config != null) {
            Optional<FieldLayout> f = layout.field(ref.name());
            if (f.isPresent() && f.get().scalar() != null && f.get().offset() + f.get().size() <= config.length) {
                return OptionalLong.of(read(config, f.get().offset(), f.get().scalar()));
            }
        }
        return OptionalLong.empty();
    }

    /** Config field values by name, read from {@code config} (empty for a field it does not hold, or no config). */
    public static Function<String, OptionalLong> fields(StructLayout layout, byte[] config) {
        return name -> {
            if (layout == null || config == null) {
                return OptionalLong.empty();
            }
            Optional<FieldLayout> f = layout.field(name);
            if (f.isPresent() && f.get().scalar() != null && f.get().offset() + f.get().size() <= config.length) {
                return OptionalLong.of(read(config, f.get().offset(), f.get().scalar()));
            }
            return OptionalLong.empty();
        };
    }

    /** The index of the first instance of {@code queue} with every conditional queue present. */
    public static int queueIndex(DeviceModel device, String queueName) {
        return queueIndex(device, queueName, -1L);
    }

    /**
     * The index of the first instance of {@code queue} under the negotiated {@code features}: its
     * declared first index, else the running count of the queues that exist. A queue whose
     * condition does not hold takes no index (fs without NOTIFICATION has its request queues from
     * index 1, as Linux's driver and virtiofsd number them).
     */
    public static int queueIndex(DeviceModel device, String queueName, long features) {
        return queueIndex(device, queueName, features, name -> OptionalLong.empty());
    }

    /**
     * As {@link #queueIndex(DeviceModel, String, long)}, with a declared first index that depends on
     * config fields (net's control queue after {@code max_virtqueue_pairs} pairs) computed from
     * {@code fields}; where a value is missing the running count stands in, which is right for
     * one instance of each group.
     */
    public static int queueIndex(DeviceModel device, String queueName, long features,
            Function<String, OptionalLong> fields) {
        int next = 0;
        for (QueueModel q : device.queues()) {
            if (!q.name().equals(queueName) && q.condition() != null && !holds(q.condition(), features)) {
                continue;
            }
            int first;
            try {
                first = q.firstIndex() == null ? next : Math.toIntExact(QueueRule.value(q.firstIndex(),
                        bit -> bit < 64 && (features & (1L << bit)) != 0, fields, "the index of queue " + q.name()));
            } catch (QueueRule.MissingValue e) {
                first = next;
            }
            if (q.name().equals(queueName)) {
                return first;
            }
            next = first + 1;
        }
        throw new IllegalArgumentException(device.name() + " has no queue " + queueName);
    }

    public static QueueModel queue(DeviceModel device, String queueName) {
        return device.queues().stream().filter(q -> q.name().equals(queueName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(device.name() + " has no queue " + queueName));
    }

    /** The status field of a request format: a single enum value ending the writable part, if any. */
    public static Optional<FieldLayout> statusField(RequestModel format) {
        List<FieldLayout> w = format.writable().fields();
        if (w.isEmpty()) {
            return Optional.empty();
        }
        FieldLayout last = w.get(w.size() - 1);
        return last.kind() == FieldLayout.Kind.ENUM && !last.isArray() ? Optional.of(last) : Optional.empty();
    }

    /** The enum typing a field, looked up among the device's enums. */
    public static Optional<EnumModel> enumOf(DeviceModel device, FieldLayout f) {
        return device.enums().stream().filter(e -> e.name().equals(f.typeName())).findFirst();
    }

    /** Whether a status literal reports success (by the spec's naming: VIRTIO_BLK_S_OK and the like). */
    public static boolean isOk(EnumModel.Literal l) {
        return l.name().endsWith("_OK");
    }

    /** The bytes of the readable part a minimal request of this format carries: fixed part, empty arrays. */
    public static byte[] readablePart(RequestModel format, BigInteger selectorValue) {
        byte[] b = new byte[format.readable().size()];
        if (format.selector() != null && selectorValue != null) {
            write(b, format.selector().offset(), format.selector().scalar(), selectorValue.longValue());
        }
        return b;
    }

    /**
     * The writable bytes a minimal request of this format offers: the fixed part with open arrays
     * empty, or 16 elements of its array when that would leave nothing to write into.
     */
    public static int writableLength(RequestModel format) {
        int n = format.writable().size();
        if (n == 0) {
            for (FieldLayout f : format.writable().fields()) {
                if (f.arrayKind() == FieldLayout.ArrayKind.FLEXIBLE || f.arrayKind() == FieldLayout.ArrayKind.RUNTIME) {
                    return 16 * Math.max(1, f.elementSize());
                }
            }
        }
        return n;
    }

    /** A selector value no format on the queue uses (nor the naming enum): what a driver must never send. */
    public static Optional<BigInteger> unusedSelector(DeviceModel device, RequestModel format) {
        if (format.selector() == null) {
            return Optional.empty();
        }
        List<BigInteger> used = new ArrayList<>();
        for (RequestModel r : device.requests()) {
            if (r.queue().equals(format.queue())) {
                used.addAll(r.values());
            }
        }
        device.enums().stream().filter(e -> e.name().equals(format.selector().namingEnum()))
                .forEach(e -> e.literals().forEach(l -> used.add(l.value())));
        for (long candidate : new long[] {0xee, 0xfe, 0x7e, 0xfd, 0x3c}) {
            BigInteger v = BigInteger.valueOf(candidate);
            if (!used.contains(v)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
