package dev.avps.diff;

import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Field-by-field comparison of two layouts of one struct, config or request part. Fields are
 * matched by name; what a reader of the old layout relies on (offset, size, type, the features
 * it exists under) must not change, and new fields may only follow every old one where the
 * layout allows growth (config spaces).
 */
final class StructDiff {

    private StructDiff() {
    }

    /**
     * @param what      the element's name in findings, e.g. {@code config} or {@code request read (readable)}
     * @param growable  whether fields appended at the end are compatible (config spaces); elsewhere
     *                  a longer struct changes what a reader receives
     */
    static void compare(String what, StructLayout before, StructLayout after, boolean growable,
            Consumer<Finding> out) {
        List<FieldLayout> old = before.fields();
        int lastOldEnd = 0;
        for (FieldLayout f : old) {
            FieldLayout n = after.field(f.name()).orElse(null);
            String el = what + "." + f.name();
            if (n == null) {
                out.accept(new Finding(Rule.FIELD_REMOVED, el, "was at " + place(f)));
                continue;
            }
            if (f.offset() != n.offset() || f.base() != n.base() || !Objects.equals(f.anchor(), n.anchor())) {
                out.accept(new Finding(Rule.FIELD_MOVED, el, place(f) + " -> " + place(n)));
            }
            if (!type(f).equals(type(n))) {
                out.accept(new Finding(Rule.FIELD_RETYPED, el, type(f) + " -> " + type(n)));
            } else if (f.size() != n.size() || !Objects.equals(render(f), render(n))) {
                out.accept(new Finding(Rule.FIELD_RESIZED, el, f.size() + " bytes -> " + n.size() + " bytes"));
            }
            if (!Objects.equals(cond(f), cond(n))) {
                out.accept(new Finding(Rule.FIELD_CONDITION_CHANGED, el, cond(f) + " -> " + cond(n)));
            }
            if (!Objects.equals(f.doc(), n.doc())) {
                out.accept(new Finding(Rule.DOC_CHANGED, el, "doc text"));
            }
            if (f.base() == FieldLayout.OffsetBase.START) {
                lastOldEnd = Math.max(lastOldEnd, f.offset() + f.size());
            }
        }
        for (FieldLayout n : after.fields()) {
            if (before.field(n.name()).isPresent()) {
                continue;
            }
            boolean appended = growable && n.base() == FieldLayout.OffsetBase.START && n.offset() >= lastOldEnd;
            out.accept(new Finding(appended ? Rule.CONFIG_FIELD_APPENDED : Rule.FIELD_ADDED_INSIDE,
                    what + "." + n.name(), "at " + place(n)));
        }
        if (!growable && !before.variable() && !after.variable() && before.size() != after.size()) {
            out.accept(new Finding(Rule.STRUCT_RESIZED, what, before.size() + " bytes -> " + after.size() + " bytes"));
        }
    }

    private static String place(FieldLayout f) {
        return switch (f.base()) {
            case START -> "offset " + f.offset();
            case AFTER -> f.anchor() + "+" + f.offset();
            case END -> "end-" + f.offset();
        };
    }

    private static String type(FieldLayout f) {
        String scalar = f.scalar() == null ? "" : "/" + f.scalar().keyword();
        return f.kind() + ":" + f.typeName() + scalar;
    }

    private static String render(FieldLayout f) {
        return f.arrayKind() + (f.arrayLength() == null ? "" : "[" + f.arrayLength().render() + "]");
    }

    private static String cond(FieldLayout f) {
        return f.condition() == null ? "always" : f.condition().render();
    }

    /** A change inside one device, before the device name is attached. */
    record Finding(Rule rule, String element, String detail) {
    }
}
