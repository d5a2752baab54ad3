package dev.avps.generator.docs;

import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Struct declarations the way the VIRTIO spec prints them ({@code le32 flags;}, {@code u8 id[20];},
 * enum-typed fields by their wire scalar), for listings in spec chapters.
 */
public final class SpecListing {

    static final String INDENT = "        ";

    private SpecListing() {
    }

    public static String struct(StructLayout s) {
        StringBuilder b = new StringBuilder("struct ").append(s.cName()).append(" {\n");
        fields(s.fields(), INDENT, b);
        return b.append("};").toString();
    }

    /** The fields alone, one per line, for request parts. */
    public static List<String> fieldLines(StructLayout s) {
        StringBuilder b = new StringBuilder();
        fields(s.fields(), "", b);
        List<String> out = new ArrayList<>(List.of(b.toString().split("\n")));
        out.removeIf(String::isEmpty);
        return out;
    }

    private static void fields(List<FieldLayout> fields, String indent, StringBuilder b) {
        for (FieldLayout f : fields) {
            if (f.kind() == FieldLayout.Kind.UNION) {
                b.append(indent).append("union {\n");
                for (FieldLayout.UnionCaseLayout c : f.cases()) {
                    b.append(indent).append(INDENT).append("/* case ")
                            .append(String.join(", ", c.labels().stream().map(v -> v.render()).toList())).append(" */\n");
                    fields(c.fields(), indent + INDENT, b);
                }
                b.append(indent).append("} ").append(f.name()).append(";\n");
                continue;
            }
            String type = f.kind() == FieldLayout.Kind.STRUCT ? "struct " + (f.nested() != null ? f.nested().cName()
                    : f.typeName()) : f.scalar().keyword();
            b.append(indent).append(type).append(' ').append(f.name()).append(suffix(f)).append(';');
            if (f.condition() != null || f.driverWritable()) {
                // The spec's listings carry no access marks; a comment keeps the listing valid C.
                String when = f.condition() == null ? "" : "when " + f.condition().render();
                String access = f.driverWritable() ? "driver-writable" : "";
                b.append(" /* ").append(when).append(when.isEmpty() || access.isEmpty() ? "" : ", ").append(access)
                        .append(" */");
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
