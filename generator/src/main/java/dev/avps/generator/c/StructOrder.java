package dev.avps.generator.c;

import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C needs a struct declared before a member uses it, while a spec may declare them in any order.
 * Declaration order is kept wherever the dependencies allow, so output stays recognisable.
 */
public final class StructOrder {

    private StructOrder() {
    }

    public static List<StructLayout> dependenciesFirst(List<StructLayout> structs) {
        Map<String, StructLayout> byName = new LinkedHashMap<>();
        structs.forEach(s -> byName.putIfAbsent(s.name(), s));
        Set<String> done = new LinkedHashSet<>();
        List<StructLayout> out = new ArrayList<>();
        for (StructLayout s : structs) {
            visit(s, byName, done, new LinkedHashSet<>(), out);
        }
        return out;
    }

    private static void visit(StructLayout s, Map<String, StructLayout> byName, Set<String> done, Set<String> active,
            List<StructLayout> out) {
        if (done.contains(s.name()) || !active.add(s.name())) {
            return; // a cycle cannot be laid out, the validator rejects it; never loop here
        }
        for (String dep : dependencies(s.fields())) {
            StructLayout d = byName.get(dep);
            if (d != null && d != s) {
                visit(d, byName, done, active, out);
            }
        }
        done.add(s.name());
        out.add(s);
    }

    private static List<String> dependencies(List<FieldLayout> fields) {
        List<String> out = new ArrayList<>();
        for (FieldLayout f : fields) {
            if (f.kind() == FieldLayout.Kind.STRUCT) {
                out.add(f.nested() != null ? f.nested().name() : f.typeName());
            } else if (f.kind() == FieldLayout.Kind.UNION) {
                f.cases().forEach(c -> out.addAll(dependencies(c.fields())));
            }
        }
        return out;
    }
}
