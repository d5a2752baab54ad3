package dev.avps.diff;

import dev.avps.diff.StructDiff.Finding;
import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.StructLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every change between two versions of one device, element by element, matched by name. */
final class DeviceDiff {

    private DeviceDiff() {
    }

    static void compare(DeviceModel a, DeviceModel b, Consumer<Finding> out) {
        if (a.id() != b.id()) {
            out.accept(new Finding(Rule.DEVICE_ID_CHANGED, "device " + a.name(), a.id() + " -> " + b.id()));
        }
        if (!Objects.equals(a.doc(), b.doc())) {
            out.accept(new Finding(Rule.DOC_CHANGED, "device " + a.name(), "doc text"));
        }
        features(a.features(), b.features(), out);
        if (a.config() != null && b.config() != null) {
            StructDiff.compare("config", a.config(), b.config(), true, out);
        } else if (a.config() != null) {
            out.accept(new Finding(Rule.FIELD_REMOVED, "config", "the device has no config any more"));
        } else if (b.config() != null) {
            b.config().fields().forEach(f -> out.accept(new Finding(Rule.CONFIG_FIELD_APPENDED, "config." + f.name(),
                    "at offset " + f.offset())));
        }
        Map<String, StructLayout> sb = byName(b.structs(), StructLayout::name);
        Map<String, StructLayout> sa = byName(a.structs(), StructLayout::name);
        for (StructLayout s : a.structs()) {
            StructLayout n = sb.get(s.name());
            if (n == null) {
                out.accept(new Finding(Rule.STRUCT_REMOVED, "struct " + s.name(), s.size() + " bytes"));
            } else {
                StructDiff.compare("struct " + s.name(), s, n, false, out);
                doc("struct " + s.name(), s.doc(), n.doc(), out);
            }
        }
        b.structs().stream().filter(s -> !sa.containsKey(s.name()))
                .forEach(s -> out.accept(new Finding(Rule.STRUCT_ADDED, "struct " + s.name(), s.size() + " bytes")));
        queues(a.queues(), b.queues(), out);
        requests(a.requests(), b.requests(), out);
        enums(a.enums(), b.enums(), out);
        constants(a.constants(), b.constants(), out);
        requirements(a.requirements(), b.requirements(), out);
    }

    private static void features(List<FeatureModel> a, List<FeatureModel> b, Consumer<Finding> out) {
        Map<String, FeatureModel> nb = byName(b, FeatureModel::name);
        Set<String> oldNames = new HashSet<>();
        a.forEach(f -> {
            oldNames.add(f.name());
            oldNames.addAll(f.aliases());
        });
        for (FeatureModel f : a) {
            FeatureModel n = nb.get(f.name());
            if (n == null) {
                // Renamed in place keeps the wire meaning: only the bit matters to drivers.
                FeatureModel sameBit = b.stream().filter(x -> x.bit() == f.bit()).findFirst().orElse(null);
                if (sameBit != null && sameBit.aliases().contains(f.name())) {
                    continue;
                }
                out.accept(new Finding(Rule.FEATURE_REMOVED, "feature " + f.name(), "bit " + f.bit()
                        + (sameBit != null ? " (now " + sameBit.name() + ")" : "")));
                continue;
            }
            if (n.bit() != f.bit()) {
                out.accept(new Finding(Rule.FEATURE_RENUMBERED, "feature " + f.name(), "bit " + f.bit() + " -> "
                        + n.bit()));
            }
            String ra = f.requires() == null ? null : f.requires().render();
            String rb = n.requires() == null ? null : n.requires().render();
            if (rb != null && !rb.equals(ra)) {
                out.accept(new Finding(Rule.FEATURE_REQUIRES_ADDED, "feature " + f.name(),
                        (ra == null ? "nothing" : ra) + " -> " + rb));
            }
            if (!Objects.equals(f.doc(), n.doc())) {
                out.accept(new Finding(Rule.DOC_CHANGED, "feature " + f.name(), "doc text"));
            }
        }
        for (FeatureModel n : b) {
            if (!oldNames.contains(n.name()) && a.stream().noneMatch(x -> x.bit() == n.bit())) {
                out.accept(new Finding(Rule.FEATURE_ADDED, "feature " + n.name(), "bit " + n.bit()));
            }
        }
    }

    private static void queues(List<QueueModel> a, List<QueueModel> b, Consumer<Finding> out) {
        Map<String, QueueModel> nb = byName(b, QueueModel::name);
        for (QueueModel q : a) {
            QueueModel n = nb.get(q.name());
            if (n == null) {
                out.accept(new Finding(Rule.QUEUE_REMOVED, "queue " + q.name(), "index " + q.firstIndex().render()));
                continue;
            }
            if (!q.firstIndex().render().equals(n.firstIndex().render()) || q.stride() != n.stride()
                    || !q.count().render().equals(n.count().render())) {
                out.accept(new Finding(Rule.QUEUE_INDEX_MOVED, "queue " + q.name(), rule(q) + " -> " + rule(n)));
            }
            doc("queue " + q.name(), q.doc(), n.doc(), out);
            if (q.direction() != n.direction()) {
                out.accept(new Finding(Rule.QUEUE_DIRECTION_CHANGED, "queue " + q.name(),
                        q.direction() + " -> " + n.direction()));
            }
        }
        Map<String, QueueModel> na = byName(a, QueueModel::name);
        b.stream().filter(q -> !na.containsKey(q.name())).forEach(q -> out.accept(
                new Finding(Rule.QUEUE_ADDED, "queue " + q.name(), "index " + q.firstIndex().render())));
    }

    private static String rule(QueueModel q) {
        return "first " + q.firstIndex().render() + ", count " + q.count().render() + ", stride " + q.stride();
    }

    private static void requests(List<RequestModel> a, List<RequestModel> b, Consumer<Finding> out) {
        Map<String, RequestModel> nb = byName(b, RequestModel::name);
        for (RequestModel r : a) {
            RequestModel n = nb.get(r.name());
            String el = "request " + r.name();
            if (n == null) {
                out.accept(new Finding(Rule.REQUEST_REMOVED, el, "on " + r.queue()));
                continue;
            }
            if (!Objects.equals(r.queue(), n.queue()) || !r.discriminator().equals(n.discriminator())
                    || !Objects.equals(r.mask(), n.mask()) || !new HashSet<>(r.values()).equals(new HashSet<>(n.values()))) {
                out.accept(new Finding(Rule.REQUEST_SELECTOR_CHANGED, el, r.queue() + " " + r.values() + " -> "
                        + n.queue() + " " + n.values()));
            }
            doc(el, r.doc(), n.doc(), out);
            StructDiff.compare(el + " (readable)", r.readable(), n.readable(), false, out);
            StructDiff.compare(el + " (writable)", r.writable(), n.writable(), false, out);
        }
        Map<String, RequestModel> na = byName(a, RequestModel::name);
        b.stream().filter(r -> !na.containsKey(r.name())).forEach(r -> out.accept(
                new Finding(Rule.REQUEST_ADDED, "request " + r.name(), "on " + r.queue() + " " + r.values())));
    }

    private static void enums(List<EnumModel> a, List<EnumModel> b, Consumer<Finding> out) {
        Map<String, EnumModel> nb = byName(b, EnumModel::name);
        for (EnumModel e : a) {
            EnumModel n = nb.get(e.name());
            if (n == null) {
                out.accept(new Finding(Rule.ENUM_REMOVED, "enum " + e.name(), e.literals().size() + " values"));
                continue;
            }
            if (e.type() != n.type()) {
                out.accept(new Finding(Rule.FIELD_RETYPED, "enum " + e.name(), e.type().keyword() + " -> "
                        + n.type().keyword()));
            }
            Map<String, EnumModel.Literal> lb = byName(n.literals(), EnumModel.Literal::name);
            for (EnumModel.Literal l : e.literals()) {
                EnumModel.Literal m = lb.get(l.name());
                if (m == null) {
                    out.accept(new Finding(Rule.ENUM_VALUE_REMOVED, e.name() + "." + l.name(), "= " + l.value()));
                } else if (!m.value().equals(l.value())) {
                    out.accept(new Finding(Rule.ENUM_VALUE_CHANGED, e.name() + "." + l.name(),
                            l.value() + " -> " + m.value()));
                }
            }
            Map<String, EnumModel.Literal> la = byName(e.literals(), EnumModel.Literal::name);
            n.literals().stream().filter(l -> !la.containsKey(l.name())).forEach(l -> out.accept(
                    new Finding(Rule.ENUM_VALUE_ADDED, e.name() + "." + l.name(), "= " + l.value())));
        }
        Map<String, EnumModel> na = byName(a, EnumModel::name);
        b.stream().filter(e -> !na.containsKey(e.name())).forEach(e -> out.accept(
                new Finding(Rule.ENUM_ADDED, "enum " + e.name(), e.literals().size() + " values")));
    }

    private static void constants(List<ConstantModel> a, List<ConstantModel> b, Consumer<Finding> out) {
        Map<String, ConstantModel> nb = byName(b, ConstantModel::name);
        for (ConstantModel c : a) {
            ConstantModel n = nb.get(c.name());
            if (n == null) {
                out.accept(new Finding(Rule.CONSTANT_REMOVED, "const " + c.name(), "= " + c.value()));
            } else if (!Objects.equals(c.value(), n.value())) {
                out.accept(new Finding(Rule.CONSTANT_CHANGED, "const " + c.name(), c.value() + " -> " + n.value()));
            }
        }
        Map<String, ConstantModel> na = byName(a, ConstantModel::name);
        b.stream().filter(c -> !na.containsKey(c.name())).forEach(c -> out.accept(
                new Finding(Rule.CONSTANT_ADDED, "const " + c.name(), "= " + c.value())));
    }

    private static void requirements(List<RequirementModel> a, List<RequirementModel> b, Consumer<Finding> out) {
        Map<String, RequirementModel> nb = byName(b, RequirementModel::id);
        for (RequirementModel r : a) {
            RequirementModel n = nb.get(r.id());
            String el = "requirement " + r.id();
            if (n == null) {
                out.accept(new Finding(Rule.REQUIREMENT_REMOVED, el, r.keyword()));
                continue;
            }
            int from = strength(r.level());
            int to = strength(n.level());
            if (r.negated() == n.negated() && to > from) {
                out.accept(new Finding(Rule.REQUIREMENT_LEVEL_RAISED, el, r.keyword() + " -> " + n.keyword()));
            } else if (r.negated() != n.negated()) {
                out.accept(new Finding(Rule.REQUIREMENT_LEVEL_RAISED, el, r.keyword() + " -> " + n.keyword()
                        + " (the opposite statement)"));
            } else if (to < from) {
                out.accept(new Finding(Rule.REQUIREMENT_LEVEL_LOWERED, el, r.keyword() + " -> " + n.keyword()));
            }
            if (r.party() != n.party()) {
                out.accept(new Finding(Rule.REQUIREMENT_PARTY_CHANGED, el, r.party() + " -> " + n.party()));
            }
            if (!Objects.equals(r.target(), n.target())) {
                out.accept(new Finding(Rule.REQUIREMENT_CONDITION_CHANGED, el, "on " + orNone(r.target()) + " -> on "
                        + orNone(n.target())));
            }
            if (!Objects.equals(r.section(), n.section())) {
                out.accept(new Finding(Rule.REQUIREMENT_SECTION_CHANGED, el, "section " + orNone(r.section())
                        + " -> " + orNone(n.section())));
            }
            if (!r.statusText().equals(n.statusText())) {
                out.accept(new Finding(Rule.REQUIREMENT_STATUS_CHANGED, el, r.statusText() + " -> " + n.statusText()));
            }
            if (!Objects.equals(r.text(), n.text())) {
                out.accept(new Finding(Rule.DOC_CHANGED, el, "text"));
            }
        }
        Map<String, RequirementModel> na = byName(a, RequirementModel::id);
        b.stream().filter(r -> !na.containsKey(r.id())).forEach(r -> out.accept(
                new Finding(Rule.REQUIREMENT_ADDED, "requirement " + r.id(), r.party() + " " + r.keyword())));
    }

    private static String orNone(String s) {
        return s == null ? "(none)" : s;
    }

    private static void doc(String element, String before, String after, Consumer<Finding> out) {
        if (!Objects.equals(before, after)) {
            out.accept(new Finding(Rule.DOC_CHANGED, element, "doc text"));
        }
    }

    private static int strength(RequirementModel.Level l) {
        return switch (l) {
            case MAY -> 0;
            case SHOULD -> 1;
            case MUST -> 2;
        };
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        return items.stream().collect(Collectors.toMap(name, x -> x, (x, y) -> x, java.util.LinkedHashMap::new));
    }
}
