package dev.avps.generator.java;

import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureExpr;
import dev.avps.model.FeatureModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.model.StructLayout;
import dev.avps.model.ValueExpr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cases of a device's generated JUnit test, computed from the model so the template only
 * prints them: config fields with a value and the bytes it must produce at the model's offset,
 * a valid and an invalid feature set, and one chain per reachable request format.
 *
 * @param valid        device bits plus VERSION_1 that satisfy every {@code requires}, as a
 *                     {@code FeatureSet.of(...)} expression (bits run to 127)
 * @param invalid      a set with a missing dependency
 * @param invalidNames the name the refusal must mention
 * @param queueFields  config setters that make every queue family non-empty (count fields)
 */
public record JavaTestView(String testClass, List<ConfigCheck> config, String valid, String invalid,
        String invalidNames, List<String> queueFields, List<RequestCase> requests, List<String> skipped,
        Unknown unknown) {

    /** A chain whose selector no format of its queue claims: it must reach {@code onUnknownRequest}. */
    public record Unknown(String queue, int readable, int offset, String bytes, String value) {
    }

    /** Call {@code set}, read {@code value} back with {@code get}, find {@code bytes} at {@code offset}. */
    public record ConfigCheck(String set, String get, String value, int offset, String bytes) {
    }

    /**
     * One chain.
     *
     * @param selectorPath getter path of the selector in the readable part, or null
     * @param selectorBytes bytes written at {@code selectorOffset} of the readable part
     * @param responsePath setter path of the scalar the handler writes, or null
     * @param responseOffset Java expression of its offset in the writable part (over {@code WL})
     */
    public record RequestCase(String name, String handler, String className, String queue, int readable,
            int writable, int selectorOffset, String selectorBytes, String selectorPath, String selectorValue,
            String responsePath, String responseValue, int responseOffset, String responseBytes) {
    }

    private static final int VERSION_1 = 32;

    public static JavaTestView of(JavaDeviceView j, DeviceModel d) {
        List<ConfigCheck> config = new ArrayList<>();
        if (d.config() != null) {
            configChecks(j, d.config(), j.config(), "", 0, config);
        }
        // Feature sets, as bit sets: bits run to 127 (a long would wrap at 64).
        BitSet set = new BitSet();
        set.set(VERSION_1);
        for (FeatureModel f : d.features()) {
            if (!f.legacy()) {
                set.set(f.bit());
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (FeatureModel f : d.features()) {
                BitSet s = (BitSet) set.clone();
                if (s.get(f.bit()) && f.requires() != null && !f.requires().holds(s::get)) {
                    set.clear(f.bit());
                    changed = true;
                }
            }
        }
        BitSet valid = set;
        BitSet invalid = (BitSet) valid.clone();
        invalid.clear(VERSION_1);
        String invalidName = "VERSION_1";
        for (FeatureModel f : d.features()) {
            BitSet t = new BitSet();
            t.set(VERSION_1);
            t.set(f.bit());
            if (f.requires() != null && !f.requires().holds(t::get)) {
                invalid = t;
                invalidName = JavaNames.constant(f.name());
                break;
            }
        }
        // Config fields that count queues: set to 2 so every family has instances.
        Set<String> countFields = new LinkedHashSet<>();
        for (QueueModel q : d.queues()) {
            fieldRefs(q.count(), countFields);
            fieldRefs(q.firstIndex(), countFields);
        }
        List<String> queueFields = new ArrayList<>();
        for (String n : countFields) {
            JavaFlyweight.Member m = j.config() == null ? null : member(j.config(), n);
            if (m != null && m.kind() == JavaFlyweight.Kind.SCALAR) {
                queueFields.add(m.name() + "(" + (m.javaType().equals("long") ? "2L" : "2") + ")");
            }
        }
        // Requests
        List<RequestCase> cases = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        BitSet validSet = valid;
        for (JavaDeviceView.Dispatch dp : j.dispatch()) {
            QueueModel qm = d.queues().stream().filter(q -> q.name().equals(dp.queue().name())).findFirst().orElseThrow();
            if (qm.condition() != null && !qm.condition().holds(validSet::get)) {
                dp.formats().forEach(r -> skipped.add(r.name() + " (queue " + qm.name() + " needs " + qm.condition().render() + ")"));
                continue;
            }
            Set<String> claimed = new HashSet<>();
            List<JavaDeviceView.Request> all = new ArrayList<>(dp.formats());
            if (dp.direct() != null && dp.formats().isEmpty()) {
                all.add(dp.direct());
            }
            for (JavaDeviceView.Request r : all) {
                RequestModel rm = d.requests().stream().filter(x -> x.name().equals(r.name())).findFirst().orElseThrow();
                int rl = partLength(rm.readable());
                int wl = partLength(rm.writable());
                if (rl == 0 && wl == 0) {
                    skipped.add(r.name() + " (no bytes)");
                    continue;
                }
                String selectorBytes = null;
                String selectorPath = null;
                String selectorValue = null;
                if (dp.offset() >= 0 && r != dp.direct()) {
                    String v = r.values().stream().filter(claimed::add).findFirst().orElse(null);
                    if (v == null) {
                        skipped.add(r.name() + " (its selector values select an earlier format)");
                        continue;
                    }
                    int idx = r.values().indexOf(v);
                    BigInteger value = rm.values().get(idx);
                    selectorBytes = bytes(value, rm.selector().width(), rm.selector().bigEndian());
                    selectorPath = path(j, r.readable(), rm.discriminator());
                    selectorValue = v;
                }
                String responsePath = null;
                String responseValue = null;
                int responseOffset = 0;
                String responseBytes = null;
                if (r.writable() != null) {
                    Leaf leaf = firstLeaf(j, r.writable(), rm.writable(), wl);
                    if (leaf != null) {
                        BigInteger v = pattern(leaf.width, 0x5A);
                        responsePath = leaf.path;
                        responseValue = JavaExpr.literal(v, leaf.width);
                        responseOffset = leaf.offset;
                        responseBytes = bytes(v, leaf.width, leaf.big);
                    }
                }
                cases.add(new RequestCase(r.name(), r.handler(), r.className(), dp.queue().constant(), rl, wl,
                        dp.offset(), selectorBytes, selectorPath, selectorValue, responsePath, responseValue,
                        responseOffset, responseBytes));
            }
        }
        for (JavaDeviceView.Dispatch dp : j.dispatch()) {
            if (dp.direct() != null && !dp.formats().isEmpty()) {
                skipped.add(dp.direct().name() + " (fallback format of a queue with selectors)");
            }
            dp.unreachable().forEach(r -> skipped.add(r.name() + " (no selector tells it from "
                    + dp.direct().name() + " on queue " + dp.queue().name() + ")"));
        }
        Unknown unknown = null;
        for (JavaDeviceView.Dispatch dp : j.dispatch()) {
            QueueModel qm = d.queues().stream().filter(q -> q.name().equals(dp.queue().name())).findFirst().orElseThrow();
            if (dp.offset() < 0 || dp.direct() != null
                    || qm.condition() != null && !qm.condition().holds(validSet::get)) {
                continue;
            }
            Set<BigInteger> taken = new HashSet<>();
            d.requests().stream().filter(r -> r.queue().equals(qm.name())).forEach(r -> taken.addAll(r.values()));
            BigInteger v = unusedSelector(taken, dp.mask());
            if (v == null) {
                continue; // every masked value selects a format: no selector is unknown
            }
            int rl = dp.offset() + dp.width();
            for (JavaDeviceView.Request r : dp.formats()) {
                RequestModel rm = d.requests().stream().filter(x -> x.name().equals(r.name())).findFirst().orElseThrow();
                rl = Math.max(rl, partLength(rm.readable()));
            }
            unknown = new Unknown(dp.queue().constant(), rl, dp.offset(), bytes(v, dp.width(), dp.big()),
                    JavaExpr.literal(v, dp.width()));
            break;
        }
        return new JavaTestView(j.prefix() + "GeneratedTest", config, JavaExpr.featureSet(valid.stream().boxed().toList()),
                JavaExpr.featureSet(invalid.stream().boxed().toList()), invalidName, queueFields, cases, skipped, unknown);
    }

    /** A selector value no format claims (within the mask, when there is one), or null. */
    static BigInteger unusedSelector(Set<BigInteger> taken, BigInteger mask) {
        if (mask == null) {
            BigInteger v = BigInteger.valueOf(0xEE);
            while (taken.contains(v)) {
                v = v.add(BigInteger.ONE);
            }
            return v;
        }
        for (BigInteger v = BigInteger.ZERO; v.compareTo(mask) <= 0 && v.bitLength() < 20; v = v.add(BigInteger.ONE)) {
            if (v.andNot(mask).signum() == 0 && !taken.contains(v)) {
                return v;
            }
        }
        return null;
    }

    private record Leaf(String path, int width, boolean big, int offset) {
    }

    /** The first scalar of a part the handler can write: top-level or inside a top-level struct, at a fixed place. */
    private static Leaf firstLeaf(JavaDeviceView j, JavaFlyweight fw, StructLayout s, int partLength) {
        for (JavaFlyweight.Member m : fw.members()) {
            FieldLayout f = s.field(m.specName()).orElse(null);
            if (f == null || f.base() == FieldLayout.OffsetBase.AFTER) {
                continue;
            }
            int at = f.base() == FieldLayout.OffsetBase.START ? f.offset() : partLength - f.offset();
            if (m.kind() == JavaFlyweight.Kind.SCALAR) {
                return new Leaf(m.name(), m.width(), m.big(), at);
            }
            if (m.kind() == JavaFlyweight.Kind.STRUCT && f.nested() != null) {
                JavaFlyweight inner = j.structs().stream().filter(x -> x.className().equals(m.structClass()))
                        .findFirst().orElse(null);
                if (inner == null) {
                    continue;
                }
                for (JavaFlyweight.Member im : inner.members()) {
                    FieldLayout nf = f.nested().field(im.specName()).orElse(null);
                    if (im.kind() == JavaFlyweight.Kind.SCALAR && nf != null
                            && nf.base() == FieldLayout.OffsetBase.START) {
                        return new Leaf(m.name() + "()." + im.name(), im.width(), im.big(), at + nf.offset());
                    }
                }
            }
        }
        return null;
    }

    private static String path(JavaDeviceView j, JavaFlyweight fw, List<String> parts) {
        StringBuilder b = new StringBuilder();
        JavaFlyweight cur = fw;
        for (String p : parts) {
            JavaFlyweight.Member m = cur == null ? null : member(cur, p);
            if (m == null) {
                return null;
            }
            b.append(b.length() == 0 ? "" : "().").append(m.name());
            String cls = m.structClass();
            cur = cls == null ? null : j.structs().stream().filter(x -> x.className().equals(cls)).findFirst()
                    .orElse(null);
        }
        return b.toString();
    }

    private static JavaFlyweight.Member member(JavaFlyweight fw, String specName) {
        return fw.members().stream().filter(m -> m.specName().equals(specName)).findFirst().orElse(null);
    }

    /** Bytes of a part in the test chain: the fixed fields plus 16 bytes for open arrays. */
    static int partLength(StructLayout s) {
        if (s == null || s.fields().isEmpty()) {
            return 0;
        }
        return s.size() + (s.variable() ? 16 : 0);
    }

    private static void configChecks(JavaDeviceView j, StructLayout s, JavaFlyweight fw, String prefix, int base,
            List<ConfigCheck> out) {
        for (JavaFlyweight.Member m : fw.members()) {
            FieldLayout f = s.field(m.specName()).orElse(null);
            if (f == null || f.base() != FieldLayout.OffsetBase.START) {
                continue;
            }
            int at = base + f.offset();
            if (m.kind() == JavaFlyweight.Kind.SCALAR) {
                BigInteger v = pattern(m.width(), 0x11 + out.size() * 7);
                String lit = JavaExpr.literal(v, m.width());
                out.add(new ConfigCheck(prefix + m.name() + "(" + lit + ")", prefix + m.name() + "()", lit, at,
                        bytes(v, m.width(), m.big())));
            } else if (m.kind() == JavaFlyweight.Kind.ARRAY && m.count() > 0) {
                int last = m.count() - 1;
                BigInteger v = pattern(m.width(), 0x11 + out.size() * 7);
                String lit = JavaExpr.literal(v, m.width());
                out.add(new ConfigCheck(prefix + m.name() + "(" + last + ", " + lit + ")",
                        prefix + m.name() + "(" + last + ")", lit, at + last * m.elementSize(),
                        bytes(v, m.width(), m.big())));
            } else if (m.kind() == JavaFlyweight.Kind.STRUCT && f.nested() != null) {
                JavaFlyweight inner = j.structs().stream().filter(x -> x.className().equals(m.structClass()))
                        .findFirst().orElse(null);
                if (inner != null) {
                    configChecks(j, f.nested(), inner, prefix + m.name() + "().", at, out);
                }
            }
        }
    }

    private static void fieldRefs(ValueExpr e, Set<String> out) {
        if (e instanceof ValueExpr.FieldRef f) {
            out.add(f.name());
        } else if (e instanceof ValueExpr.Binary b) {
            fieldRefs(b.left(), out);
            fieldRefs(b.right(), out);
        } else if (e instanceof ValueExpr.If i) {
            fieldRefs(i.then(), out);
            fieldRefs(i.otherwise(), out);
        }
    }

    /** A value whose bytes are all different and non-zero, so byte order mistakes show. */
    static BigInteger pattern(int width, int seed) {
        BigInteger v = BigInteger.ZERO;
        for (int k = 0; k < width; k++) {
            int b = ((seed + k * 0x13) % 0xFE) + 1;
            v = v.or(BigInteger.valueOf(b).shiftLeft(8 * k));
        }
        return v;
    }

    /** {@code (byte) 0x01, (byte) 0x02} in wire order. */
    static String bytes(BigInteger v, int width, boolean big) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < width; k++) {
            int shift = big ? 8 * (width - 1 - k) : 8 * k;
            out.add(String.format("(byte) 0x%02X", v.shiftRight(shift).intValue() & 0xff));
        }
        return String.join(", ", out);
    }

}
