package dev.avps.generator.java;

import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.model.RequestSelector;
import dev.avps.model.SpecModel;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the java templates print for one device, with names, offsets, feature checks and
 * the dispatch table computed here.
 *
 * @param pkg        the Java package
 * @param prefix     the device's class prefix, e.g. {@code Blk}
 * @param config     the config view, or null
 * @param structs    one flyweight per struct the device uses (its own and shared ones)
 * @param dispatch   per queue family, how {@code handle} picks a request format
 */
public record JavaDeviceView(String pkg, String prefix, String name, int id, String doc, String source,
        List<Feature> features, JavaFlyweight config, List<JavaFlyweight> structs, List<JEnum> enums,
        List<JConstant> constants, List<Queue> queues, List<Request> requests, List<Dispatch> dispatch) {

    /** A feature bit; {@code requires} is a Java condition over {@code features}, or null. */
    public record Feature(String name, int bit, String mask, String doc, boolean legacy, boolean deprecated,
            boolean transport, List<String> aliases, String requires, String requiresText, String requiresMask) {

        /** Whether the bit is past 63: no long holds it, so its constant is a FeatureSet. */
        public boolean wide() {
            return bit >= 64;
        }

        /** The Java type of the feature's constant: {@code long} (a mask) or {@code FeatureSet}. */
        public String javaType() {
            return wide() ? "FeatureSet" : "long";
        }
    }

    public record JEnum(String className, String doc, String javaType, List<JConstant> literals) {
    }

    public record JConstant(String name, String javaType, String value, String doc) {
    }

    /**
     * A queue family: instance {@code k} has index {@code first + k * stride} for {@code k < count}.
     *
     * @param first Java expression (over {@code config} and {@code f}, the features)
     * @param count Java expression, or null when the model gives no bound the code can evaluate
     */
    public record Queue(String constant, int ordinal, String name, String doc, String first, int stride, String count,
            String condition, String conditionJava) {
    }

    /** A request format. */
    public record Request(String className, String handler, String field, String name, String doc, String queue,
            String selector, List<String> values, JavaFlyweight readable, JavaFlyweight writable) {
    }

    /**
     * How a queue family's chains reach handlers.
     *
     * @param offset  the discriminator's offset in the readable part, or -1 when the queue's
     *                formats have none and {@code direct} takes every chain
     */
    public record Dispatch(Queue queue, int offset, int width, boolean big, String javaType, List<Request> formats,
            Request direct, List<Request> unreachable, BigInteger mask) {

        /** The Java expression reading the selector from {@code chain}'s readable part. */
        public String read() {
            return JavaDeviceView.read("chain", offset, width, big);
        }

        /** The selector as compared: the field, masked when the spec compares only some bits. */
        public String selector() {
            return mask == null ? read() : "(" + read() + " & " + JavaExpr.literal(mask, width) + ")";
        }
    }

    /** Reads an unsigned scalar from a chain's readable part, widened to int (1, 2 bytes) or long. */
    static String read(String chain, long offset, int width, boolean big) {
        return switch (width) {
            case 1 -> "(" + chain + ".readByte(" + offset + ") & 0xff)";
            case 2 -> big ? "(Short.reverseBytes(" + chain + ".readShortLE(" + offset + ")) & 0xffff)"
                    : "(" + chain + ".readShortLE(" + offset + ") & 0xffff)";
            case 4 -> big ? "(Integer.reverseBytes(" + chain + ".readIntLE(" + offset + ")) & 0xffffffffL)"
                    : "(" + chain + ".readIntLE(" + offset + ") & 0xffffffffL)";
            default -> big ? "Long.reverseBytes(" + chain + ".readLongLE(" + offset + "))"
                    : chain + ".readLongLE(" + offset + ")";
        };
    }

    /** One feature per bit number, for a switch over bits (the first name wins). */
    public List<Feature> distinctBits() {
        Map<Integer, Feature> m = new LinkedHashMap<>();
        features.forEach(f -> m.putIfAbsent(f.bit(), f));
        return List.copyOf(m.values());
    }

    public String featuresClass() {
        return prefix + "Features";
    }

    public String baseClass() {
        return prefix + "DeviceBase";
    }

    public String deviceClass() {
        return prefix + "Device";
    }

    public String constantsClass() {
        return prefix + "Constants";
    }

    /** Features that must accompany {@code VERSION_1}: every generated view reads virtio-endian fields as little-endian. */
    public String version1Mask() {
        return "1L << 32";
    }

    public static JavaDeviceView of(DeviceModel d, SpecModel model, String packagePattern) {
        String pkg = JavaNames.packageFor(packagePattern, d.name());
        String prefix = JavaNames.type(d.name());
        Map<String, String> classes = new HashMap<>();
        List<String> reserved = List.of(prefix + "Features", prefix + "DeviceBase", prefix + "Device",
                prefix + "Constants");
        reserved.forEach(c -> classes.put(c, "generated"));

        // Enums
        Map<String, String> enumClasses = new HashMap<>();
        List<JEnum> enums = new ArrayList<>();
        for (EnumModel e : d.enums()) {
            String cls = unique(classes, JavaNames.type(e.name()), "enum " + e.name());
            enumClasses.put(e.name(), cls);
            String type = JavaExpr.javaType(e.type().size());
            List<JConstant> lits = new ArrayList<>();
            for (EnumModel.Literal l : e.literals()) {
                lits.add(new JConstant(JavaNames.constant(l.name()), type, JavaExpr.literal(l.value(), e.type().size()),
                        JavaExpr.doc(l.doc())));
            }
            enums.add(new JEnum(cls, JavaExpr.doc(e.doc()), type, lits));
        }
        List<JConstant> constants = new ArrayList<>();
        for (ConstantModel c : d.constants()) {
            constants.add(new JConstant(JavaNames.constant(c.name()), JavaExpr.javaType(c.type().size()),
                    JavaExpr.literal(c.value(), c.type().size()), JavaExpr.doc(c.doc())));
        }

        // Structs: the device's own, then the shared ones it uses (the model's answer, as the C headers').
        Map<String, StructLayout> structs = new LinkedHashMap<>();
        d.structs().forEach(s -> structs.putIfAbsent(s.name(), s));
        model.sharedStructsOf(d).forEach(s -> structs.putIfAbsent(s.name(), s));
        Map<String, String> structClasses = new HashMap<>();
        for (StructLayout s : structs.values()) {
            structClasses.put(s.name(), unique(classes, JavaNames.type(s.name()), "struct " + s.name()));
        }
        JavaFlyweight.Types types = new JavaFlyweight.Types() {
            @Override
            public String structClass(String specName) {
                return structClasses.get(specName);
            }

            @Override
            public String enumClass(String specName) {
                return enumClasses.get(specName);
            }
        };
        List<JavaFlyweight> flyweights = new ArrayList<>();
        for (StructLayout s : structs.values()) {
            flyweights.add(JavaFlyweight.of(structClasses.get(s.name()), s, null, types));
        }
        JavaFlyweight config = null;
        if (d.config() != null) {
            config = JavaFlyweight.of(unique(classes, JavaNames.type(d.config().name()), "config"), d.config(), null,
                    types);
        }

        // Features: the device's bits, then the transport's (VERSION_1, ...) unless a device bit has the name.
        List<Feature> features = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (FeatureModel f : d.features()) {
            features.add(feature(f, false));
            names.add(JavaNames.constant(f.name()));
            f.aliases().forEach(a -> names.add(JavaNames.constant(a)));
        }
        for (FeatureModel f : TransportBits.of(model.transportFeatures())) {
            if (!names.contains(JavaNames.constant(f.name()))) {
                features.add(feature(f, true));
            }
        }

        // Queues
        List<Queue> queues = new ArrayList<>();
        Map<String, Queue> queueByName = new HashMap<>();
        java.util.function.Function<String, String> configField = n -> {
            if (d.config() == null) {
                return null;
            }
            return d.config().field(n).filter(f -> f.scalar() != null && !f.isArray()
                    && f.base() == FieldLayout.OffsetBase.START).map(f -> (f.scalar().size() <= 2 ? "(long) " : "")
                    + "config." + JavaNames.member(f.name()) + "()").orElse(null);
        };
        int ordinal = 0;
        for (QueueModel q : d.queues()) {
            String first = JavaExpr.value(q.firstIndex(), configField, "f");
            if (first == null) {
                throw new IllegalStateException(d.name() + ": queue " + q.name() + ": first index "
                        + q.firstIndex().render() + " cannot be evaluated");
            }
            String count = q.count() == null ? null : JavaExpr.value(q.count(), configField, "f");
            Queue jq = new Queue("Q_" + JavaNames.constant(q.name()), ordinal++, q.name(), JavaExpr.doc(q.doc()), first,
                    Math.max(1, q.stride()), count, q.condition() == null ? null : q.condition().render(),
                    q.condition() == null ? null : JavaExpr.feature(q.condition(), "f"));
            queues.add(jq);
            queueByName.put(q.name(), jq);
        }

        // Requests
        List<Request> requests = new ArrayList<>();
        for (RequestModel r : d.requests()) {
            String base = JavaNames.type(r.name());
            String cls = unique(classes, base + "Request", "request " + r.name());
            JavaFlyweight rd = r.readable() == null || r.readable().fields().isEmpty() ? null
                    : JavaFlyweight.of("Readable", r.readable(), "The device-readable part of " + r.name() + ".", types);
            JavaFlyweight wr = r.writable() == null || r.writable().fields().isEmpty() ? null
                    : JavaFlyweight.of("Writable", r.writable(), "The device-writable part of " + r.name() + ".", types);
            List<String> values = new ArrayList<>();
            String selector = r.discriminator().isEmpty() ? null : String.join(".", r.discriminator());
            requests.add(new Request(cls, "on" + base, "$" + Character.toLowerCase(base.charAt(0)) + base.substring(1), r.name(),
                    JavaExpr.doc(r.doc()), r.queue(), selector, values, rd, wr));
        }

        // Dispatch per queue family
        List<Dispatch> dispatch = new ArrayList<>();
        for (Queue q : queues) {
            List<RequestModel> on = d.requests().stream().filter(r -> r.queue().equals(q.name())).toList();
            if (on.isEmpty()) {
                continue;
            }
            List<Request> formats = new ArrayList<>();
            Request direct = null;
            List<Request> unreachable = new ArrayList<>();
            int offset = -1;
            int width = 0;
            boolean big = false;
            BigInteger mask = null;
            for (RequestModel r : on) {
                Request jr = requests.get(d.requests().indexOf(r));
                if (r.discriminator().isEmpty() || r.values().isEmpty()) {
                    if (direct == null) {
                        direct = jr;
                    } else {
                        unreachable.add(jr);
                    }
                    continue;
                }
                RequestSelector sel = r.selector();
                if (sel == null) {
                    throw new IllegalStateException(d.name() + ": request " + r.name() + ": selector "
                            + String.join(".", r.discriminator()) + " is not a scalar at a fixed readable offset");
                }
                if (offset >= 0 && (offset != sel.offset() || width != sel.width())) {
                    throw new IllegalStateException(d.name() + ": queue " + q.name()
                            + ": formats select by fields at different offsets");
                }
                offset = sel.offset();
                width = sel.width();
                big = sel.bigEndian();
                // The validator makes every format of a queue compare the same bits.
                mask = sel.mask();
                for (BigInteger v : r.values()) {
                    jr.values().add(JavaExpr.literal(v, width));
                }
                formats.add(jr);
            }
            dispatch.add(new Dispatch(q, formats.isEmpty() ? -1 : offset, width, big,
                    width == 0 ? "long" : JavaExpr.javaType(width), formats, direct, unreachable, mask));
        }
        return new JavaDeviceView(pkg, prefix, d.name(), d.id(), JavaExpr.doc(d.doc()),
                dev.avps.generator.TemplateData.sourceName(d), features, config, flyweights, enums, constants, queues,
                requests, dispatch);
    }

    private static Feature feature(FeatureModel f, boolean transport) {
        String requires = f.requires() == null ? null : JavaExpr.feature(f.requires(), "features");
        // Bits past 63 have no long mask (Java shifts a long modulo 64): their constant is a FeatureSet.
        String mask = f.bit() < 64 ? "1L << " + f.bit() : "FeatureSet.of(" + f.bit() + ")";
        return new Feature(JavaNames.constant(f.name()), f.bit(), mask, JavaExpr.doc(f.doc()), f.legacy(),
                f.deprecated(), transport, f.aliases().stream().map(JavaNames::constant).toList(), requires,
                f.requires() == null ? null : f.requires().render(),
                f.requires() == null ? null : JavaExpr.refMask(f.requires()));
    }

    private static String unique(Map<String, String> classes, String wanted, String what) {
        String name = wanted;
        while (classes.putIfAbsent(name, what) != null) {
            name = name + "_";
        }
        return name;
    }
}
