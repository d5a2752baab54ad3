package dev.avps.generator.docs;

import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Struct declarations the way the VIRTIO spec prints them ({@code le32 flags;}, {@code u8 id[20];},
 * enum-typed fields by their wire scalar), for listings in spec chapters.
 */
public final class SpecListing {

    static final String INDENT = "        ";

    private SpecListing() {
    }

    public static String struct(StructLayout s) {
        return struct(s, name -> false);
    }

    /**
     * The declaration with "(proposed)" in the comment of each top-level field {@code proposed}
     * accepts: the fields a proposal appends to its base device's config.
     */
    public static String struct(StructLayout s, Predicate<String> proposed) {
        StringBuilder b = new StringBuilder("struct ").append(s.cName()).append(" {\n");
        fields(s.fields(), INDENT, proposed, b);
        return b.append("};").toString();
    }

    /** The fields alone, one per line, for request parts. */
    public static List<String> fieldLines(StructLayout s) {
        StringBuilder b = new StringBuilder();
        fields(s.fields(), "", name -> false, b);
        List<String> out = new ArrayList<>(List.of(b.toString().split("\n")));
        out.removeIf(String::isEmpty);
        return out;
    }

    private static void fields(List<FieldLayout> fields, String indent, Predicate<String> proposed,
            StringBuilder b) {
        for (FieldLayout f : fields) {
            if (f.kind() == FieldLayout.Kind.UNION) {
                b.append(indent).append("union {\n");
                for (FieldLayout.UnionCaseLayout c : f.cases()) {
                    b.append(indent).append(INDENT).append("/* case ")
                            .append(String.join(", ", c.labels().stream().map(v -> v.render()).toList())).append(" */\n");
                    fields(c.fields(), indent + INDENT, name -> false, b);
                }
                b.append(indent).append("} ").append(f.name()).append(";\n");
                continue;
            }
            String type = f.kind() == FieldLayout.Kind.STRUCT ? "struct " + (f.nested() != null ? f.nested().cName()
                    : f.typeName()) : f.scalar().keyword();
            b.append(indent).append(type).append(' ').append(f.name()).append(suffix(f)).append(';');
            boolean added = proposed.test(f.name());
            if (f.condition() != null || f.driverWritable() || added) {
                // The spec's listings carry no access marks; a comment keeps the listing valid C.
                String when = f.condition() == null ? "" : "when " + f.condition().render();
                String access = f.driverWritable() ? "driver-writable" : "";
                String notes = when + (when.isEmpty() || access.isEmpty() ? "" : ", ") + access;
                String mark = added ? (notes.isEmpty() ? "" : " ") + "(proposed)" : "";
                b.append(" /* ").append(notes).append(mark).append(" */");
            }
            b.append('\n');
        }
    }

    private static String suffix(FieldLayout f) {
        return switch (f.arrayKind()) {
            case NONE -> "";
            case FIXED -> "[" + f.count() + "]";
            case RUNTIME -> "[" + f.arrayLength().render() + "]";
            case FLEXIBLE -> "[]";
        };
    }
}
