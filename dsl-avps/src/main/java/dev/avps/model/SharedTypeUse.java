package dev.avps.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which shared (top-level) types a device uses: the shared structs its structs, config and request
 * parts contain, transitively (union alternatives included), and the shared enums their fields are
 * typed with. Every generator reads this one answer through {@link SpecModel#sharedStructsOf} and
 * {@link SpecModel#sharedEnumsOf}: C headers print these types behind guards, the Java target
 * makes a flyweight of each.
 */
final class SharedTypeUse {

    private SharedTypeUse() {
    }

    /** The shared structs the device uses, in the model's order (callers sort by dependency). */
    static List<StructLayout> structs(DeviceModel d, SpecModel model) {
        Map<String, StructLayout> shared = model.structs().stream()
                .collect(Collectors.toMap(StructLayout::name, Function.identity(), (a, b) -> a));
        Set<String> own = d.structs().stream().map(StructLayout::name).collect(Collectors.toSet());
        Set<String> used = new LinkedHashSet<>();
        Deque<List<FieldLayout>> work = new ArrayDeque<>();
        roots(d).forEach(s -> work.add(s.fields()));
        while (!work.isEmpty()) {
            for (String name : structNames(work.pop())) {
                StructLayout s = shared.get(name);
                if (s != null && !own.contains(name) && used.add(name)) {
                    work.add(s.fields());
                }
            }
        }
        return model.structs().stream().filter(s -> used.contains(s.name())).toList();
    }

    /** The shared enums that type a field of the device or of the shared structs it uses. */
    static List<EnumModel> enums(DeviceModel d, SpecModel model) {
        Set<String> ownEnums = d.enums().stream().map(EnumModel::name).collect(Collectors.toSet());
        Set<String> typeNames = new LinkedHashSet<>();
        List<StructLayout> all = new ArrayList<>(roots(d));
        all.addAll(structs(d, model));
        for (StructLayout s : all) {
            collectEnumTypes(s.fields(), typeNames);
        }
        return model.enums().stream().filter(e -> typeNames.contains(e.name()) && !ownEnums.contains(e.name())).toList();
    }

    private static List<StructLayout> roots(DeviceModel d) {
        List<StructLayout> roots = new ArrayList<>(d.structs());
        d.configOpt().ifPresent(roots::add);
        for (RequestModel r : d.requests()) {
            if (r.readable() != null) {
                roots.add(r.readable());
            }
            if (r.writable() != null) {
                roots.add(r.writable());
            }
        }
        return roots;
    }

    private static List<String> structNames(List<FieldLayout> fields) {
        List<String> out = new ArrayList<>();
        for (FieldLayout f : fields) {
            if (f.kind() == FieldLayout.Kind.STRUCT) {
                out.add(f.nested() != null ? f.nested().name() : f.typeName());
            } else if (f.kind() == FieldLayout.Kind.UNION) {
                f.cases().forEach(c -> out.addAll(structNames(c.fields())));
            }
        }
        return out;
    }

    private static void collectEnumTypes(List<FieldLayout> fields, Set<String> out) {
        for (FieldLayout f : fields) {
            if (f.kind() == FieldLayout.Kind.ENUM) {
                out.add(f.typeName());
            } else if (f.kind() == FieldLayout.Kind.UNION) {
                f.cases().forEach(c -> collectEnumTypes(c.fields(), out));
            }
        }
    }
}
