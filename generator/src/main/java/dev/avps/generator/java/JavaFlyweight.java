package dev.avps.generator.java;

import dev.avps.model.FeatureExpr;
import dev.avps.model.FieldLayout;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A zero-allocation view over a struct's bytes as templates print it: one accessor per field
 * with its offset already turned into a Java expression over the view's {@code $base} and
 * {@code $limit} (fields after an open array count back from {@code $limit}).
 *
 * @param className the class, or for request parts the nested class name
 * @param size      bytes of the fixed part (every conditional field present, arrays empty)
 * @param tail      bytes counted from the end of the part (fields after an open array)
 * @param variable  whether an open array makes the length run-time
 * @param members   accessors in field order
 * @param children  the nested flyweights the view keeps, one per struct field
 * @param writes    the driver-writable fields of a config struct (empty for every other struct)
 * @param length    Java expression of the bytes the view spans: its size, through its run-time
 *                  sized array, or up to {@code $limit}
 */
public record JavaFlyweight(String className, String specName, String doc, int size, int tail, boolean variable,
        List<Member> members, List<Child> children, List<Write> writes, String length) {

    /** How a member is accessed. */
    public enum Kind { SCALAR, ARRAY, STRUCT, STRUCT_ARRAY, BYTES }

    /**
     * One field.
     *
     * @param offset     Java expression of the field's absolute offset
     * @param bytes      Java expression of its length in bytes
     * @param count      elements of a fixed array, else -1
     * @param where      the offset for documentation ({@code 8}, {@code end-1}, {@code after data +0})
     */
    public record Member(String name, String specName, String doc, String condition, Kind kind, int width,
            boolean big, String javaType, String offset, String bytes, int count, int elementSize,
            String structClass, String child, String enumClass, String where, List<Bits> bits) {

        public String countConst() {
            return JavaNames.constant(specName) + "_COUNT";
        }
    }

    /** A named bit range of a scalar. */
    public record Bits(String name, int lsb, int width, String mask, String doc) {
    }

    /**
     * Config bytes a driver may write: {@code [offset, offset + size)}, present when
     * {@code conditionJava} (over the features {@code f}) holds, or always when it is null.
     */
    public record Write(String specName, int offset, int size, String condition, String conditionJava) {
    }

    /** A nested flyweight instance. */
    public record Child(String field, String className) {
    }

    /** Resolves struct names to their flyweight classes and enum names to enum classes. */
    public interface Types {
        String structClass(String specName);

        String enumClass(String specName);
    }

    public static JavaFlyweight of(String className, StructLayout s, String doc, Types types) {
        List<Member> members = new ArrayList<>();
        List<Child> children = new ArrayList<>();
        Map<String, Member> byName = new HashMap<>();
        Set<String> used = new LinkedHashSet<>();
        int tail = 0;
        for (FieldLayout f : s.fields()) {
            if (f.base() == FieldLayout.OffsetBase.END) {
                tail = Math.max(tail, f.offset());
            }
        }
        for (FieldLayout f : s.fields()) {
            if (f.reserved()) {
                continue;
            }
            String name = JavaNames.member(f.name());
            boolean plain = f.scalar() != null && !f.isArray() && f.kind() != FieldLayout.Kind.UNION;
            while (used.contains(name) || !plain && (used.contains(name + "Offset") || used.contains(name + "Bytes")
                    || used.contains(name + "Count"))) {
                name = name + "_";
            }
            used.add(name);
            if (!plain) {
                used.add(name + "Offset");
                used.add(name + "Bytes");
                used.add(name + "Count");
            }
            String offset;
            String where;
            if (f.base() == FieldLayout.OffsetBase.START) {
                offset = "$base + " + f.offset();
                where = Integer.toString(f.offset());
            } else if (f.base() == FieldLayout.OffsetBase.END) {
                offset = "$limit - " + f.offset();
                where = "end-" + f.offset();
            } else {
                Member anchor = byName.get(f.anchor());
                if (anchor == null) {
                    continue;
                }
                offset = "(" + anchor.offset() + ") + (" + anchor.bytes() + ") + " + f.offset();
                where = f.anchor() + "+" + f.offset();
            }
            String condition = f.condition() == null ? null : f.condition().render();
            String fieldDoc = JavaExpr.doc(f.doc());
            int width = f.scalar() == null ? 0 : f.scalar().size();
            boolean big = f.scalar() != null && f.scalar().order() == dev.avps.model.ByteOrder.BIG;
            String javaType = f.scalar() == null ? null : JavaExpr.javaType(width);
            String enumClass = f.kind() == FieldLayout.Kind.ENUM ? types.enumClass(f.typeName()) : null;
            String bytes;
            switch (f.arrayKind()) {
                // One struct ending in its own open array: it says how long it is.
                case NONE -> bytes = f.isOpenStruct() ? name + "().$length()" : Integer.toString(f.size());
                case FIXED -> bytes = Integer.toString(f.size());
                case RUNTIME -> {
                    String len = JavaExpr.value(f.arrayLength(), n -> {
                        Member m = byName.get(n);
                        if (m == null || m.kind() != Kind.SCALAR) {
                            return null;
                        }
                        return m.javaType().equals("int") ? "((long) " + m.name() + "())" : m.name() + "()";
                    }, null);
                    bytes = len != null ? "(" + len + ") * " + f.elementSize() : open(offset, tail);
                }
                default -> bytes = open(offset, tail);
            }
            Kind kind;
            String structClass = null;
            String child = null;
            if (f.kind() == FieldLayout.Kind.STRUCT && f.nested() != null) {
                // A variable struct (ending in an open array) is one open field, not an array of them.
                kind = f.isArray() && !f.nested().variable() ? Kind.STRUCT_ARRAY : Kind.STRUCT;
                structClass = types.structClass(f.nested().name());
                child = "$" + name;
                children.add(new Child(child, structClass));
            } else if (f.kind() == FieldLayout.Kind.UNION || f.scalar() == null) {
                kind = Kind.BYTES;
            } else {
                kind = f.isArray() ? Kind.ARRAY : Kind.SCALAR;
            }
            List<Bits> bits = new ArrayList<>();
            if (kind == Kind.SCALAR && f.bits() != null) {
                Set<String> bitNames = new LinkedHashSet<>();
                for (FieldLayout.BitRange r : f.bits()) {
                    if (r.name().equals("reserved") || r.name().startsWith("reserved")) {
                        continue;
                    }
                    String bn = name + JavaNames.type(r.name().toLowerCase(java.util.Locale.ROOT));
                    if (!bitNames.add(bn) || !used.add(bn)) {
                        continue;
                    }
                    long mask = r.width() >= 64 ? -1L : (1L << r.width()) - 1;
                    bits.add(new Bits(bn, r.lsb(), r.width(), JavaExpr.hexLong(mask), JavaExpr.doc(r.doc())));
                }
            }
            int count = f.arrayKind() == FieldLayout.ArrayKind.FIXED ? f.count() : -1;
            Member m = new Member(name, f.name(), fieldDoc, condition, kind, width, big, javaType, offset, bytes,
                    count, f.elementSize(), structClass, child, enumClass, where, bits);
            members.add(m);
            byName.put(f.name(), m);
        }
        return new JavaFlyweight(className, s.name(), doc == null ? JavaExpr.doc(s.doc()) : doc, s.size(), tail,
                s.variable(), members, children, writes(s), length(s, byName));
    }

    private static String length(StructLayout s, Map<String, Member> byName) {
        if (!s.variable()) {
            return Integer.toString(s.size());
        }
        Member last = s.fields().isEmpty() ? null : byName.get(s.fields().get(s.fields().size() - 1).name());
        if (!s.measurable() || last == null) {
            return "$limit - $base";
        }
        return "(" + last.offset() + ") + (" + last.bytes() + ") - $base";
    }

    private static List<Write> writes(StructLayout s) {
        List<Write> out = new ArrayList<>();
        for (FieldLayout f : s.fields()) {
            if (f.driverWritable() && f.base() == FieldLayout.OffsetBase.START && f.isFixedSize()) {
                out.add(new Write(f.name(), f.offset(), f.size(), render(f.condition()),
                        f.condition() == null ? null : JavaExpr.feature(f.condition(), "f")));
            }
        }
        return out;
    }

    private static String open(String offset, int tail) {
        return "Math.max(0L, $limit - " + tail + " - (" + offset + "))";
    }

    /** Whether a scalar type is read big-endian. */
    static boolean big(ScalarType t) {
        return t.order() == dev.avps.model.ByteOrder.BIG;
    }

    /** Unused conditions are rendered for documentation only. */
    static String render(FeatureExpr e) {
        return e == null ? null : e.render();
    }
}
