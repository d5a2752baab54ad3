package dev.avps.generator.layout;

import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Flattens a struct into table rows, nested struct members following their parent with dotted
 * names and absolute offsets; what tables in every documentation target show.
 */
public final class LayoutRows {

    private LayoutRows() {
    }

    /** Top-level fields only. */
    public static List<LayoutRow> of(StructLayout s) {
        List<LayoutRow> rows = new ArrayList<>();
        add(s, 0, "", 0, false, rows);
        return rows;
    }

    /** Every field, nested struct members included. */
    public static List<LayoutRow> flattened(StructLayout s) {
        List<LayoutRow> rows = new ArrayList<>();
        add(s, 0, "", 0, true, rows);
        return rows;
    }

    private static void add(StructLayout s, int base, String prefix, int depth, boolean deep, List<LayoutRow> rows) {
        for (FieldLayout f : s.fields()) {
            boolean fixedPlace = f.base() == FieldLayout.OffsetBase.START;
            rows.add(new LayoutRow(offset(f, base), fixedPlace ? base + f.offset() : -1, size(f),
                    f.isFixedSize() && !(f.nested() != null && f.nested().variable()) ? f.size() : 0, type(f),
                    prefix + f.name(), f.cName(), f.condition() == null ? "" : f.condition().render(),
                    f.doc() == null ? "" : f.doc(), depth, f.reserved(), f.driverWritable()));
            if (deep && fixedPlace && f.kind() == FieldLayout.Kind.STRUCT && f.nested() != null
                    && f.arrayKind() == FieldLayout.ArrayKind.NONE) {
                add(f.nested(), base + f.offset(), prefix + f.name() + ".", depth + 1, true, rows);
            } else if (deep && fixedPlace && f.kind() == FieldLayout.Kind.UNION && !f.isArray()) {
                // Each alternative overlays the union's bytes; its "condition" is the case that selects it.
                for (FieldLayout.UnionCaseLayout c : f.cases()) {
                    String when = "case " + String.join(", ", c.labels().stream().map(v -> v.render()).toList());
                    for (FieldLayout m : c.fields()) {
                        int at = base + f.offset() + m.offset();
                        rows.add(new LayoutRow(String.valueOf(at), at, size(m), m.isFixedSize() ? m.size() : 0, type(m),
                                prefix + f.name() + "." + m.name(), m.cName(), when, m.doc() == null ? "" : m.doc(),
                                depth + 1, m.reserved(), false));
                    }
                }
            }
        }
    }

    static String offset(FieldLayout f, int base) {
        return switch (f.base()) {
            case START -> String.valueOf(base + f.offset());
            case AFTER -> f.anchor() + "+" + f.offset();
            case END -> "end-" + f.offset();
        };
    }

    /** The size as readers know it: {@code 4}, {@code n*16}, {@code count*8}, {@code 4+count*8} for an open struct. */
    public static String size(FieldLayout f) {
        if (f.isOpenStruct()) {
            List<FieldLayout> inner = f.nested().fields();
            FieldLayout last = inner.isEmpty() ? null : inner.get(inner.size() - 1);
            String open = last == null || last.isFixedSize() ? "n" : size(last);
            return f.size() == 0 ? open : f.size() + "+" + open;
        }
        return switch (f.arrayKind()) {
            case RUNTIME -> f.arrayLength().render() + "*" + f.elementSize();
            case FLEXIBLE -> "n*" + f.elementSize();
            default -> String.valueOf(f.size());
        };
    }

    public static String type(FieldLayout f) {
        String t = f.kind() == FieldLayout.Kind.UNION ? "union" : f.typeName();
        return switch (f.arrayKind()) {
            case FIXED -> t + "[" + f.count() + "]";
            case RUNTIME -> t + "[" + f.arrayLength().render() + "]";
            case FLEXIBLE -> t + "[]";
            default -> t;
        };
    }
}
