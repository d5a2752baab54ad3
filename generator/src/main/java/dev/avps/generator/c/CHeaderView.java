package dev.avps.generator.c;

import dev.avps.generator.layout.LayoutRow;
import dev.avps.generator.layout.LayoutRows;
import dev.avps.generator.text.Prose;
import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.RequestModel;
import dev.avps.model.ScalarType;
import dev.avps.model.SpecModel;
import dev.avps.model.StructLayout;
import dev.avps.model.ValueExpr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Everything a C header of one device declares, named and ordered: the C templates only print
 * these lists. Shared by the Linux and the portable flavour, which differ in {@link CDialect}.
 *
 * @param stem        the upper-case device stem, e.g. VIRTIO_BLK
 * @param noLegacy    the macro that hides legacy definitions, as Linux's VIRTIO_BLK_NO_LEGACY
 * @param structs     device structs then the config, dependencies first
 * @param requests    one entry per request part (readable, then writable)
 * @param sharedEnums   shared (top-level) enums the device's fields use; print their macros guarded
 * @param sharedStructs shared structs the device contains, dependencies first, each with its guard
 */
public record CHeaderView(String stem, String guard, String noLegacy, CMacro deviceId, List<CMacro> features,
        List<CStruct> structs, List<CStruct> requests, List<CEnum> enums, List<CMacro> constants,
        List<CEnum> sharedEnums, List<CSharedStruct> sharedStructs) {

    /** A device alone, as if the model had no shared types. */
    public static CHeaderView of(DeviceModel d, CDialect dialect, String fileStem) {
        return of(d, null, dialect, fileStem);
    }

    /** A device with the shared types of {@code model} it needs ({@link SpecModel#sharedStructsOf}). */
    public static CHeaderView of(DeviceModel d, SpecModel model, CDialect dialect, String fileStem) {
        Builder b = new Builder(d, dialect);
        CHeaderView own = b.build(fileStem);
        if (model == null) {
            return own;
        }
        return new CHeaderView(own.stem(), own.guard(), own.noLegacy(), own.deviceId(), own.features(), own.structs(),
                own.requests(), own.enums(), own.constants(),
                model.sharedEnumsOf(d).stream().map(b::enumBlock).toList(),
                b.sharedStructs(model.sharedStructsOf(d)));
    }

    /** Every shared (top-level) type of a model, for the catalog-wide shared header. */
    public static CHeaderView shared(List<StructLayout> structs, List<EnumModel> enums, List<ConstantModel> constants,
            CDialect dialect, String fileStem) {
        Builder b = new Builder(null, dialect);
        return new CHeaderView("", new CNames(dialect).includeGuard(fileStem), "", null, List.of(), List.of(), List.of(),
                List.of(), constants.stream().map(b::constant).toList(), enums.stream().map(b::enumBlock).toList(),
                b.sharedStructs(structs));
    }

    private static final class Builder {
        private final DeviceModel d;
        private final CDialect dialect;
        private final CNames names;

        Builder(DeviceModel d, CDialect dialect) {
            this.d = d;
            this.dialect = dialect;
            this.names = new CNames(dialect);
        }

        CHeaderView build(String fileStem) {
            String stem = dialect.macro(CNames.stem(d));
            CMacro id = d.id() < 0 ? null : new CMacro(names.deviceIdMacro(d), String.valueOf(d.id()),
                    "The VIRTIO device ID (Linux: virtio_ids.h).", false);
            List<CStruct> structs = new ArrayList<>();
            List<StructLayout> all = new ArrayList<>(d.structs());
            d.configOpt().ifPresent(all::add);
            for (StructLayout s : StructOrder.dependenciesFirst(all)) {
                structs.add(struct(s, dialect.ident(s.cName()), s.doc()));
            }
            List<CStruct> requests = new ArrayList<>();
            for (RequestModel r : d.requests()) {
                requests.add(part(r, r.readable(), "readable"));
                requests.add(part(r, r.writable(), "writable"));
            }
            return new CHeaderView(stem, names.includeGuard(fileStem), stem + "_NO_LEGACY", id, features(), structs,
                    requests, d.enums().stream().map(this::enumBlock).toList(),
                    d.constants().stream().map(this::constant).toList(), List.of(), List.of());
        }

        List<CSharedStruct> sharedStructs(List<StructLayout> structs) {
            List<CSharedStruct> out = new ArrayList<>();
            for (StructLayout s : StructOrder.dependenciesFirst(structs)) {
                out.add(new CSharedStruct(names.sharedStructGuard(s.cName()), struct(s, dialect.ident(s.cName()), s.doc())));
            }
            return out;
        }

        /** Feature bits in bit order; an alias follows its bit and expands to the bit's macro. */
        List<CMacro> features() {
            List<CMacro> out = new ArrayList<>();
            List<FeatureModel> sorted = d.features().stream().sorted(Comparator.comparingInt(FeatureModel::bit)).toList();
            for (FeatureModel f : sorted) {
                String macro = names.featureMacro(d, f);
                String doc = Prose.oneLine(f.doc());
                if (f.requires() != null) {
                    doc = (doc + " Requires " + names.condition(d, f.requires()) + ".").strip();
                }
                if (f.deprecated()) {
                    doc = (doc + " Deprecated.").strip();
                }
                out.add(new CMacro(macro, String.valueOf(f.bit()), doc, f.legacy()));
                for (String alias : f.aliases()) {
                    out.add(new CMacro(names.aliasMacro(d, alias), macro, "", f.legacy()));
                }
            }
            return out;
        }

        CEnum enumBlock(EnumModel e) {
            List<CMacro> values = new ArrayList<>();
            for (EnumModel.Literal l : e.literals()) {
                values.add(new CMacro(dialect.macro(l.name()), CLiterals.of(l.value()), Prose.oneLine(l.doc()), false));
            }
            return new CEnum(e.cName(), Prose.oneLine(e.doc()), values);
        }

        CMacro constant(ConstantModel c) {
            return new CMacro(dialect.macro(c.name()), CLiterals.of(c.value()), Prose.oneLine(c.doc()), false);
        }

        CStruct struct(StructLayout s, String cName, String doc) {
            List<CMember> members = new ArrayList<>();
            for (FieldLayout f : s.fields()) {
                members.add(member(f));
            }
            if (s.fields().size() == 1 && s.fields().get(0).isArray() && !fixed(s.fields().get(0))) {
                CMember only = members.get(0);
                members.set(0, new CMember(CMember.Kind.FLEX_ONLY, only.type(), only.name(), only.suffix(), only.doc(),
                        only.note(), only.offset(), only.size(), List.of()));
            }
            boolean packed = !s.naturallyAligned() || CPacking.needsPacked(s.fields(), s.size());
            if (dialect.linux() && s.variable() && !CPacking.hasMisalignedField(s.fields())) {
                // Only tail padding, after the open-ended array: no wire offset depends on it, and
                // Linux declares such structs unpacked (virtio_net_rss_config: sizeof 16, wire
                // prefix 13). c-portable keeps them packed, so its sizeof is the wire prefix.
                packed = false;
            }
            return new CStruct(cName, Prose.oneLine(doc), packed, members, s.size(), s.variable(),
                    checked(s.fields()), bitMacros(s, cName), List.of(), List.of(), accessors(s, cName), List.of());
        }

        /**
         * A request part as far as C can say it: the fixed fields from its start, then at most one
         * open-ended array; what follows an open-ended array has no fixed offset and becomes a
         * macro counting from the end of the part (or from the array's end).
         */
        CStruct part(RequestModel r, StructLayout p, String which) {
            String cName = dialect.ident(d.cName() + "_" + r.name() + "_" + which);
            List<FieldLayout> inStruct = new ArrayList<>();
            int i = 0;
            List<FieldLayout> fields = p.fields();
            for (; i < fields.size(); i++) {
                FieldLayout f = fields.get(i);
                if (f.base() != FieldLayout.OffsetBase.START) {
                    break;
                }
                if (fixed(f)) {
                    inStruct.add(f);
                    continue;
                }
                boolean lastAtStart = fields.subList(i + 1, fields.size()).stream()
                        .noneMatch(g -> g.base() == FieldLayout.OffsetBase.START);
                boolean plainElements = f.isArray() && (f.nested() == null || !f.nested().variable());
                if (!inStruct.isEmpty() && lastAtStart && plainElements) {
                    inStruct.add(f);
                    i++;
                }
                break;
            }
            List<CMacro> trailing = new ArrayList<>();
            String up = cName.toUpperCase(Locale.ROOT);
            for (FieldLayout f : fields.subList(i, fields.size())) {
                String n = up + "_" + f.cName().toUpperCase(Locale.ROOT);
                switch (f.base()) {
                    case END -> trailing.add(new CMacro(n + "_FROM_END", String.valueOf(f.offset()),
                            "Bytes from the end of the part to the start of " + f.name() + ".", false));
                    case AFTER -> trailing.add(new CMacro(n + "_AFTER_" + f.anchor().toUpperCase(Locale.ROOT),
                            String.valueOf(f.offset()), "Bytes from the end of " + f.anchor() + " to " + f.name() + ".",
                            false));
                    case START -> trailing.add(new CMacro(n + "_OFFSET", String.valueOf(f.offset()),
                            "Offset of " + f.name() + " from the start of the part.", false));
                }
            }
            List<String> outline = new ArrayList<>();
            for (LayoutRow row : LayoutRows.of(p)) {
                outline.add(String.format(Locale.ROOT, "%-7s %-6s %-20s %s", row.offset(), row.size(), row.type(), row.name()));
            }
            List<CMember> members = inStruct.stream().map(this::member).toList();
            String doc = "Device-" + which + " part of request " + r.name() + ". " + Prose.oneLine(r.doc());
            int size = inStruct.stream().filter(CHeaderView::fixed).mapToInt(FieldLayout::size).sum();
            return new CStruct(cName, doc.strip(), CPacking.needsPacked(inStruct, size), members, size,
                    inStruct.size() != 0
                    && !fixed(inStruct.get(inStruct.size() - 1)), checked(inStruct), bitMacros(p, cName), trailing,
                    outline, accessors(inStruct, cName), tailAccessors(fields.subList(i, fields.size()), cName));
        }

        CMember member(FieldLayout f) {
            String note = f.condition() == null || d == null ? "" : "if " + names.condition(d, f.condition());
            String doc = Prose.oneLine(f.doc());
            if (f.arrayKind() == FieldLayout.ArrayKind.RUNTIME) {
                note = (note + (note.isEmpty() ? "" : ", ") + "length: " + f.arrayLength().render()).strip();
            }
            if (f.kind() == FieldLayout.Kind.UNION) {
                return union(f, doc, note);
            }
            return new CMember(CMember.Kind.FIELD, type(f), f.cName(), suffix(f), doc, note, f.offset(), f.size(),
                    List.of());
        }

        /** A union: each case is its single field, or an anonymous struct of its fields; padded to size. */
        private CMember union(FieldLayout f, String doc, String note) {
            List<CMember> alternatives = new ArrayList<>();
            int largest = 0;
            for (FieldLayout.UnionCaseLayout c : f.cases()) {
                largest = Math.max(largest, c.size());
                String labels = "case " + String.join(", ", c.labels().stream().map(this::label).toList());
                if (c.fields().size() == 1) {
                    CMember m = member(c.fields().get(0));
                    alternatives.add(new CMember(m.kind(), m.type(), m.name(), m.suffix(), m.doc(),
                            m.note().isEmpty() ? labels : labels + "; " + m.note(), m.offset(), m.size(), m.members()));
                } else if (!c.fields().isEmpty()) {
                    alternatives.add(new CMember(CMember.Kind.GROUP, "struct", "", "", "", labels, 0, c.size(),
                            c.fields().stream().map(this::member).toList()));
                }
            }
            if (largest < f.size()) {
                alternatives.add(new CMember(CMember.Kind.FIELD, dialect.scalar(ScalarType.U8), "padding",
                        "[" + f.size() + "]", "", "", 0, f.size(), List.of()));
            }
            return new CMember(CMember.Kind.UNION, "union", f.cName(), "", doc, note, f.offset(), f.size(), alternatives);
        }

        /** A union label as C code would spell it: constants and enum literals by their (prefixed) macro. */
        private String label(ValueExpr v) {
            return v instanceof ValueExpr.ConstantRef c ? dialect.macro(c.name()) : v.render();
        }

        String type(FieldLayout f) {
            if (f.kind() == FieldLayout.Kind.STRUCT) {
                return "struct " + dialect.ident(f.nested() != null ? f.nested().cName() : f.typeName());
            }
            return dialect.scalar(f.scalar());
        }

        static String suffix(FieldLayout f) {
            return switch (f.arrayKind()) {
                case NONE -> "";
                case FIXED -> "[" + f.count() + "]";
                default -> "[]";
            };
        }

        List<CMember> checked(List<FieldLayout> fields) {
            return fields.stream().filter(f -> f.base() == FieldLayout.OffsetBase.START)
                    .map(f -> new CMember(CMember.Kind.FIELD, "", f.cName(), "", "", "", f.offset(), f.size(), List.of()))
                    .toList();
        }

        List<CMacro> bitMacros(StructLayout s, String structCName) {
            List<CMacro> out = new ArrayList<>();
            for (FieldLayout f : s.fields()) {
                if (f.bits() == null || f.scalar() == null) {
                    continue;
                }
                for (FieldLayout.BitRange b : f.bits()) {
                    if (b.name().equals("reserved")) {
                        continue; // naming reserved bits would invite their use
                    }
                    String n = names.bitMacro(structCName.substring(dialect.ident("").length()), f.cName(), b.name());
                    out.add(new CMacro(n, CLiterals.mask(b.lsb(), b.width(), f.scalar().bits()), Prose.oneLine(b.doc()),
                            false));
                    if (b.width() > 1) {
                        out.add(new CMacro(n + "_SHIFT", String.valueOf(b.lsb()), "", false));
                    }
                }
            }
            return out;
        }

        /** Scalars counted from the end of a part: backends find the status byte this way. */
        List<CAccessor> tailAccessors(List<FieldLayout> fields, String cName) {
            List<CAccessor> out = new ArrayList<>();
            for (FieldLayout f : fields) {
                if (f.base() == FieldLayout.OffsetBase.END && !f.isArray() && f.scalar() != null
                        && (f.kind() == FieldLayout.Kind.SCALAR || f.kind() == FieldLayout.Kind.ENUM)) {
                    out.add(new CAccessor(cName + "_" + f.cName(), dialect.scalar(f.scalar()), loader(f.scalar()),
                            f.offset(), false, f.elementSize()));
                }
            }
            return out;
        }

        List<CAccessor> accessors(StructLayout s, String cName) {
            return accessors(s.fields(), cName);
        }

        List<CAccessor> accessors(List<FieldLayout> fields, String cName) {
            List<CAccessor> out = new ArrayList<>();
            addAccessors(fields, cName + "_", 0, out);
            return out;
        }

        /** Scalars and scalar arrays get accessors; nested structs are flattened, unions skipped. */
        private void addAccessors(List<FieldLayout> fields, String stem, int base, List<CAccessor> out) {
            for (FieldLayout f : fields) {
                if (f.base() != FieldLayout.OffsetBase.START) {
                    continue;
                }
                if (f.scalar() != null && (f.kind() == FieldLayout.Kind.SCALAR || f.kind() == FieldLayout.Kind.ENUM)) {
                    out.add(new CAccessor(stem + f.cName(), dialect.scalar(f.scalar()), loader(f.scalar()),
                            base + f.offset(), f.isArray(), f.elementSize()));
                } else if (f.kind() == FieldLayout.Kind.STRUCT && f.nested() != null && !f.isArray()) {
                    addAccessors(f.nested().fields(), stem + f.cName() + "_", base + f.offset(), out);
                }
            }
        }

        private String loader(ScalarType t) {
            String order = switch (t.order()) {
                case NONE -> "u";
                case BIG -> "be";
                default -> "le"; // virtio-endian is little-endian for every VERSION_1 device
            };
            return dialect.ident(order + t.bits());
        }
    }

    static boolean fixed(FieldLayout f) {
        return f.isFixedSize() && (f.nested() == null || !f.nested().variable());
    }
}
