package dev.avps.cli;

import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.List;

/** Renders a layout as an aligned text table; nested struct fields follow their parent, dotted. */
final class LayoutTable {

    private LayoutTable() {
    }

    static String render(StructLayout s) {
        return render(s, (s.config() ? "config " : "struct ") + s.name());
    }

    static String render(StructLayout s, String title) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"offset", "size", "type", "field", "condition"});
        addRows(s, 0, "", rows);
        int[] w = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < 5; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(title).append(": ");
        b.append(s.variable() ? "at least " + s.size() : String.valueOf(s.size())).append(" bytes");
        if (s.minSize() != s.size() && !s.variable()) {
            b.append(" (").append(s.minSize()).append(" without feature-gated fields)");
        }
        b.append(", align ").append(s.align());
        if (!s.naturallyAligned()) {
            b.append(", not naturally aligned (C needs packed)");
        }
        b.append('\n');
        for (String[] r : rows) {
            String line = String.format("%" + w[0] + "s  %" + w[1] + "s  %-" + w[2] + "s  %-" + w[3] + "s  %s",
                    (Object[]) r);
            b.append(line.stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static void addRows(StructLayout s, int base, String prefix, List<String[]> rows) {
        for (FieldLayout f : s.fields()) {
            String cond = f.condition() == null ? "" : "when " + f.condition().render();
            if (f.driverWritable()) {
                cond = cond.isEmpty() ? "driver-writable" : cond + ", driver-writable";
            }
            rows.add(new String[] {offset(f, base), size(f), type(f), prefix + f.name(), cond});
            if (f.kind() == FieldLayout.Kind.STRUCT && f.nested() != null && f.arrayKind() == FieldLayout.ArrayKind.NONE
                    && f.base() == FieldLayout.OffsetBase.START) {
                addRows(f.nested(), base + f.offset(), prefix + f.name() + ".", rows);
            }
        }
    }

    private static String offset(FieldLayout f, int base) {
        return switch (f.base()) {
            case START -> String.valueOf(base + f.offset());
            case AFTER -> f.anchor() + "+" + f.offset();
            case END -> "end-" + f.offset();
        };
    }

    private static String size(FieldLayout f) {
        return dev.avps.generator.layout.LayoutRows.size(f);
    }

    private static String type(FieldLayout f) {
        return dev.avps.generator.layout.LayoutRows.type(f);
    }
}
