package dev.avps.generator;

import dev.avps.generator.targets.CLinuxTarget;
import dev.avps.generator.targets.CPortableTarget;
import dev.avps.generator.targets.DocsHtmlTarget;
import dev.avps.generator.targets.DocsLatexTarget;
import dev.avps.generator.targets.DocsMarkdownTarget;
import dev.avps.generator.targets.JavaSkeletonTarget;
import dev.avps.generator.targets.JavaTarget;
import dev.avps.generator.targets.JavaTestsTarget;
import dev.avps.generator.targets.PlatformProbeTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The targets users can name. Adding one is a class here and a template folder. */
public final class TargetRegistry {

    /** Selects every registered target. */
    public static final String ALL = "all";

    private final Map<String, Target> targets = new LinkedHashMap<>();

    public TargetRegistry(List<Target> targets) {
        for (Target t : targets) {
            if (this.targets.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("two targets named " + t.name());
            }
        }
    }

    public static TargetRegistry builtIn() {
        return new TargetRegistry(List.of(new CLinuxTarget(), new CPortableTarget(), new DocsMarkdownTarget(),
                new DocsLatexTarget(), new DocsHtmlTarget(), new JavaTarget(), new JavaSkeletonTarget(),
                new JavaTestsTarget(), new PlatformProbeTarget()));
    }

    public List<Target> all() {
        return List.copyOf(targets.values());
    }

    public List<String> names() {
        return List.copyOf(targets.keySet());
    }

    /** The targets for names as users write them (comma lists allowed), in registry order, each once. */
    public List<Target> select(List<String> requested) throws GenerationException {
        List<String> names = new ArrayList<>();
        for (String r : requested) {
            for (String n : r.split(",")) {
                if (!n.isBlank()) {
                    names.add(n.strip());
                }
            }
        }
        List<String> unknown = names.stream().filter(n -> !n.equals(ALL) && !targets.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new GenerationException("error: unknown target " + String.join(", ", unknown) + "; known: "
                    + String.join(", ", targets.keySet()) + ", " + ALL);
        }
        if (names.isEmpty()) {
            throw new GenerationException("error: no target selected; known: " + String.join(", ", targets.keySet()));
        }
        return targets.values().stream().filter(t -> names.contains(ALL) || names.contains(t.name())).toList();
    }
}
