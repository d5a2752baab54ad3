package dev.avps.dsl.layout;

import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.BitField;
import dev.avps.dsl.avps.DataType;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.FieldPath;
import dev.avps.dsl.avps.NamedType;
import dev.avps.dsl.avps.PrimitiveType;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.avps.TypeSpec;
import dev.avps.dsl.avps.UnionCase;
import dev.avps.dsl.validation.Limits;
import dev.avps.model.FieldLayout;
import dev.avps.model.FieldLayout.Access;
import dev.avps.model.FieldLayout.ArrayKind;
import dev.avps.model.FieldLayout.OffsetBase;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import dev.avps.model.ValueExpr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.emf.ecore.EObject;

/**
 * Places every field of a struct, union or request part: offsets, sizes, alignment.
 *
 * <p>The spec's rule is that structures have no implicit padding, so fields sit back to back.
 * What a C compiler would do differently (pad a misaligned field, round the size up to the
 * alignment) is recorded as {@code naturallyAligned = false} and reported as a warning: the
 * header generator then needs {@code packed}. Conditional fields keep their offsets whether or
 * not their feature is negotiated, as in the spec's configuration layouts.
 *
 * <p>One engine per model load: layouts of shared structs are computed once and cached, and
 * problems are collected for the validator rather than thrown.
 */
public final class LayoutEngine {

    public static final String CYCLE = "layout.cycle";
    public static final String MISALIGNED = "layout.misaligned";
    public static final String TAIL_PADDING = "layout.tailPadding";
    public static final String VARIABLE_NOT_LAST = "layout.variableNotLast";
    public static final String UNION_TOO_SMALL = "layout.unionTooSmall";
    public static final String UNION_CASE_VARIABLE = "layout.unionCaseVariable";
    public static final String BAD_LENGTH = "layout.badLength";
    public static final String TOO_LARGE = "layout.tooLarge";

    private final Function<EObject, String> docs;
    private final Map<Struct, StructLayout> done = new IdentityHashMap<>();
    private final Map<Struct, Boolean> inProgress = new IdentityHashMap<>();
    private final List<LayoutProblem> problems = new ArrayList<>();

    public LayoutEngine(Function<EObject, String> docs) {
        this.docs = docs;
    }

    public List<LayoutProblem> problems() {
        return problems;
    }

    public StructLayout layout(Struct s) {
        StructLayout cached = done.get(s);
        if (cached != null) {
            return cached;
        }
        if (inProgress.containsKey(s)) {
            problems.add(new LayoutProblem(s, AvpsPackage.Literals.STRUCT__NAME, true, CYCLE,
                    "struct '" + s.getName() + "' contains itself"));
            return empty(s.getName());
        }
        if (inProgress.size() > Limits.MAX_NESTING) {
            // Each nested struct is a level of recursion here and in every generator.
            problems.add(new LayoutProblem(s, AvpsPackage.Literals.STRUCT__NAME, true, CYCLE,
                    "struct '" + s.getName() + "' is nested deeper than " + Limits.MAX_NESTING + " structs"));
            return empty(s.getName());
        }
        inProgress.put(s, Boolean.TRUE);
        Part part = layoutPart(s.getMembers(), Access.NONE, false);
        inProgress.remove(s);
        checkFixedSize(s, AvpsPackage.Literals.STRUCT__NAME, "struct '" + s.getName() + "'", part);
        int expected = s.getExpectedSize() > 0 ? s.getExpectedSize() : -1;
        boolean natural = part.natural && (part.variable || part.size % part.align == 0);
        if (!part.variable && part.size % part.align != 0 && part.natural) {
            problems.add(new LayoutProblem(s, AvpsPackage.Literals.STRUCT__NAME, false, TAIL_PADDING,
                    "struct '" + s.getName() + "' is " + part.size + " bytes but aligned to " + part.align
                            + ": C would pad it to " + roundUp(part.size, part.align) + " (the header will need packed)"));
        }
        StructLayout result = new StructLayout(s.getName(), cName(s.getCName(), s.getName()), docs.apply(s),
                s.isConfig(), part.fields, part.size, part.minSize, part.align, part.variable, expected, natural);
        done.put(s, result);
        return result;
    }

    /** A config layout grown by a proposal: the base's fields, then the added ones after them. */
    public StructLayout extendedConfig(Struct base, List<Field> added) {
        List<Field> all = new ArrayList<>(base.getMembers());
        all.addAll(added);
        Part part = layoutPart(all, Access.NONE, false);
        return new StructLayout(base.getName(), cName(base.getCName(), base.getName()), docs.apply(base), true,
                part.fields, part.size, part.minSize, part.align, part.variable, -1, part.natural);
    }

    /** The device-readable part of a request: its readable fields in order. */
    public StructLayout readablePart(Request r) {
        return requestPart(r, Access.READABLE);
    }

    /** The device-writable part of a request: its writable fields in order. */
    public StructLayout writablePart(Request r) {
        return requestPart(r, Access.WRITABLE);
    }

    private StructLayout requestPart(Request r, Access access) {
        List<Field> selected = new ArrayList<>();
        for (Field f : r.getMembers()) {
            if (access(f) == access) {
                selected.add(f);
            }
        }
        Part part = layoutPart(selected, access, true);
        checkFixedSize(r, AvpsPackage.Literals.REQUEST__NAME, "the device-" + (access == Access.READABLE ? "readable"
                : "writable") + " part of request '" + r.getName() + "'", part);
        String suffix = access == Access.READABLE ? "_out" : "_in";
        return new StructLayout(r.getName() + suffix, r.getName() + suffix, docs.apply(r), false, part.fields,
                part.size, part.minSize, part.align, part.variable, -1, part.natural);
    }

    public static Access access(Field f) {
        return f.isReadable() ? Access.READABLE : f.isWritable() ? Access.WRITABLE : Access.NONE;
    }

    private static final class Part {
        final List<FieldLayout> fields = new ArrayList<>();
        int size;
        int minSize;
        int align = 1;
        boolean variable;
        boolean natural = true;
    }

    /** Element facts before placement. */
    private record Element(FieldLayout.Kind kind, ScalarType scalar, String typeName, int size, int align,
            StructLayout nested, List<FieldLayout.UnionCaseLayout> cases, boolean variable) {
    }

    private Part layoutPart(List<Field> fields, Access partAccess, boolean request) {
        Part part = new Part();
        int pos = 0;
        OffsetBase base = OffsetBase.START;
        String anchor = null;
        List<Integer> fromEnd = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            Element el = element(f);
            ArrayKind arrayKind = ArrayKind.NONE;
            ValueExpr length = null;
            int size = el.size;
            if (f.getArray() != null) {
                if (f.getArray().getLength() == null) {
                    arrayKind = ArrayKind.FLEXIBLE;
                    size = 0;
                } else {
                    length = Expressions.value(f.getArray().getLength());
                    ConstantFold.Result n = ConstantFold.fold(f.getArray().getLength());
                    arrayKind = length == null || n.known() || n.broken() ? ArrayKind.FIXED : ArrayKind.RUNTIME;
                    size = 0;
                    if (n.broken()) {
                        problems.add(new LayoutProblem(f.getArray(), AvpsPackage.Literals.ARRAY_SPEC__LENGTH, true,
                                BAD_LENGTH, "array length: " + n.problem()));
                    } else if (n.known() && n.value().signum() < 0) {
                        problems.add(new LayoutProblem(f.getArray(), AvpsPackage.Literals.ARRAY_SPEC__LENGTH, true,
                                BAD_LENGTH, "array length " + n.value() + " is negative"));
                    } else if (n.known()) {
                        BigInteger bytes = n.value().multiply(BigInteger.valueOf(el.size));
                        if (bytes.compareTo(BigInteger.valueOf(Limits.MAX_FIXED_BYTES)) > 0) {
                            problems.add(new LayoutProblem(f.getArray(), AvpsPackage.Literals.ARRAY_SPEC__LENGTH, true,
                                    TOO_LARGE, "array of " + n.value() + " x " + el.size + " bytes = " + bytes
                                            + " bytes is over the " + Limits.MAX_FIXED_BYTES
                                            + "-byte limit of a fixed-size layout"));
                        } else {
                            size = bytes.intValueExact();
                        }
                    }
                }
            }
            // A struct ending in an open array is still one struct (`item_list list;`), not an array
            // of them: it keeps ArrayKind.NONE, and only its length is open.
            boolean openStruct = arrayKind == ArrayKind.NONE && el.variable;
            boolean open = arrayKind == ArrayKind.RUNTIME || arrayKind == ArrayKind.FLEXIBLE || openStruct;
            if (open && !request && i < fields.size() - 1) {
                problems.add(new LayoutProblem(f, AvpsPackage.Literals.REFERABLE__NAME, true, VARIABLE_NOT_LAST,
                        "field '" + f.getName() + "' has a run-time length, so it must be the last field of the struct"));
            }
            int offset = pos;
            OffsetBase fieldBase = base;
            if (!fromEnd.isEmpty() || (base == OffsetBase.END)) {
                fieldBase = OffsetBase.END;
                fromEnd.add(part.fields.size());
            } else if (base == OffsetBase.START && offset % el.align != 0) {
                part.natural = false;
                problems.add(new LayoutProblem(f, AvpsPackage.Literals.REFERABLE__NAME, false, MISALIGNED,
                        "field '" + f.getName() + "' at offset " + offset + " is not aligned to its natural "
                                + el.align + "-byte alignment: C would pad before it (the header will need packed)"));
            }
            Access access = request ? partAccess : f.isDriverWritable() ? Access.DRIVER_WRITABLE : Access.NONE;
            String discriminator = f.isUnion() ? path(f.getDiscriminator()) : null;
            part.fields.add(new FieldLayout(f.getName(), cName(f.getCName(), f.getName()), docs.apply(f), el.kind,
                    el.scalar, el.typeName, offset, fieldBase, fieldBase == OffsetBase.AFTER ? anchor : null, size,
                    el.size, el.align, arrayKind, length, access, f.isReserved(),
                    Expressions.condition(f.getCondition()), el.nested, bits(f), el.cases, discriminator));
            part.align = Math.max(part.align, el.align);
            if (fieldBase != OffsetBase.END) {
                pos = capped(pos, size);
                if (f.getCondition() == null && fieldBase == OffsetBase.START) {
                    part.minSize = pos;
                }
            }
            part.size = capped(part.size, size);
            if (arrayKind == ArrayKind.RUNTIME && base != OffsetBase.END) {
                part.variable = true;
                base = OffsetBase.AFTER;
                anchor = f.getName();
                pos = 0;
            } else if (arrayKind == ArrayKind.FLEXIBLE) {
                part.variable = true;
                base = OffsetBase.END;
            } else if (openStruct) {
                part.variable = true;
                if (base != OffsetBase.END && el.nested.measurable()) {
                    // Its own length fields say where it ends: what follows is placed after it.
                    base = OffsetBase.AFTER;
                    anchor = f.getName();
                    pos = 0;
                } else {
                    base = OffsetBase.END;
                }
            }
        }
        // Fields after an open-ended array are found from the end of the bytes.
        int tail = 0;
        for (int k = fromEnd.size() - 1; k >= 0; k--) {
            int idx = fromEnd.get(k);
            FieldLayout fl = part.fields.get(idx);
            tail += fl.size();
            part.fields.set(idx, withOffset(fl, tail));
        }
        return part;
    }

    /** Sizes stop growing just past the limit (already an error), so no int can overflow. */
    private static int capped(int a, int b) {
        return (int) Math.min((long) a + b, Limits.MAX_FIXED_BYTES + 1L);
    }

    private void checkFixedSize(EObject owner, org.eclipse.emf.ecore.EStructuralFeature feature, String what,
            Part part) {
        if (part.size > Limits.MAX_FIXED_BYTES) {
            problems.add(new LayoutProblem(owner, feature, true, TOO_LARGE, what + " takes more than the "
                    + Limits.MAX_FIXED_BYTES + "-byte limit of a fixed-size layout"));
        }
    }

    private static FieldLayout withOffset(FieldLayout f, int offset) {
        return new FieldLayout(f.name(), f.cName(), f.doc(), f.kind(), f.scalar(), f.typeName(), offset, f.base(),
                f.anchor(), f.size(), f.elementSize(), f.align(), f.arrayKind(), f.arrayLength(), f.access(),
                f.reserved(), f.condition(), f.nested(), f.bits(), f.cases(), f.discriminator());
    }

    private Element element(Field f) {
        if (f.isUnion()) {
            return union(f);
        }
        TypeSpec t = f.getType();
        if (t instanceof PrimitiveType p) {
            ScalarType s = ScalarType.ofKeyword(p.getKind().getLiteral());
            return new Element(FieldLayout.Kind.SCALAR, s, s.keyword(), s.size(), s.size(), null, List.of(), false);
        }
        if (t instanceof NamedType n) {
            DataType d = n.getType();
            if (d instanceof Enum e && !e.eIsProxy()) {
                ScalarType s = ScalarType.ofKeyword(e.getType().getLiteral());
                return new Element(FieldLayout.Kind.ENUM, s, e.getName(), s.size(), s.size(), null, List.of(), false);
            }
            if (d instanceof Struct st && !st.eIsProxy()) {
                StructLayout nested = layout(st);
                return new Element(FieldLayout.Kind.STRUCT, null, st.getName(), nested.size(), nested.align(), nested,
                        List.of(), nested.variable());
            }
        }
        // Unresolved type: the linker has reported it; place a zero-sized byte so layout goes on.
        return new Element(FieldLayout.Kind.SCALAR, ScalarType.U8, "?", 0, 1, null, List.of(), false);
    }

    private Element union(Field f) {
        List<FieldLayout.UnionCaseLayout> cases = new ArrayList<>();
        int size = 0;
        int align = 1;
        for (UnionCase c : f.getCases()) {
            Part p = layoutPart(c.getMembers(), Access.NONE, false);
            List<ValueExpr> labels = new ArrayList<>();
            c.getLabels().forEach(l -> labels.add(Expressions.value(l)));
            cases.add(new FieldLayout.UnionCaseLayout(labels, p.fields, p.size));
            size = Math.max(size, p.size);
            align = Math.max(align, p.align);
            if (p.variable) {
                // A union's size is its largest case's, so every case needs a size known at build
                // time; nothing downstream can place or measure a run-time-sized case.
                problems.add(new LayoutProblem(openMember(c), AvpsPackage.Literals.REFERABLE__NAME, true,
                        UNION_CASE_VARIABLE, "field '" + openMember(c).getName() + "' of union '" + f.getName()
                                + "' has a run-time length; every case of a union must have a fixed size"));
            }
        }
        if (f.getExpectedSize() > Limits.MAX_FIXED_BYTES) {
            problems.add(new LayoutProblem(f, AvpsPackage.Literals.FIELD__EXPECTED_SIZE, true, TOO_LARGE,
                    "union '" + f.getName() + "' is declared " + f.getExpectedSize() + " bytes, over the "
                            + Limits.MAX_FIXED_BYTES + "-byte limit of a fixed-size layout"));
        } else if (f.getExpectedSize() > 0) {
            if (f.getExpectedSize() < size) {
                problems.add(new LayoutProblem(f, AvpsPackage.Literals.FIELD__EXPECTED_SIZE, true, UNION_TOO_SMALL,
                        "union '" + f.getName() + "' is declared " + f.getExpectedSize()
                                + " bytes but its largest case needs " + size));
            } else {
                size = f.getExpectedSize();
            }
        }
        return new Element(FieldLayout.Kind.UNION, null, "union", size, align, null, cases, false);
    }

    /** The first member of a union case whose length is only known at run time. */
    private Field openMember(UnionCase c) {
        for (Field m : c.getMembers()) {
            ConstantFold.Result n = m.getArray() == null || m.getArray().getLength() == null ? null
                    : ConstantFold.fold(m.getArray().getLength());
            boolean openArray = m.getArray() != null && (n == null || !n.known() && !n.broken());
            if (openArray || element(m).variable()) {
                return m;
            }
        }
        return c.getMembers().get(c.getMembers().size() - 1);
    }

    private List<FieldLayout.BitRange> bits(Field f) {
        List<FieldLayout.BitRange> out = new ArrayList<>();
        for (BitField b : f.getBitfields()) {
            out.add(new FieldLayout.BitRange(b.getName(), b.getLsb(), msb(b), docs.apply(b)));
        }
        return out;
    }

    /** The highest bit of a range; a single `bit N` leaves msb unset. */
    public static int msb(BitField b) {
        return isRange(b) ? b.getMsb() : b.getLsb();
    }

    private static boolean isRange(BitField b) {
        return org.eclipse.xtext.nodemodel.util.NodeModelUtils.findNodesForFeature(b,
                AvpsPackage.Literals.BIT_FIELD__MSB).size() > 0;
    }

    /** The discriminator path as dotted field names, e.g. "hdr.type". */
    public static String path(FieldPath p) {
        if (p == null) {
            return null;
        }
        String name = p.getField() == null || p.getField().eIsProxy() ? "?" : p.getField().getName();
        return p.getParent() == null ? name : path(p.getParent()) + "." + name;
    }

    private static String cName(String explicit, String name) {
        return explicit != null ? explicit : name;
    }

    private static int roundUp(int v, int a) {
        return (v + a - 1) / a * a;
    }

    private static StructLayout empty(String name) {
        return new StructLayout(name, name, null, false, List.of(), 0, 0, 1, false, -1, true);
    }
}
