package dev.avps.generator;

import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Renders targets into memory. Nothing is written here, so a failing template or a clash between
 * two targets leaves the output directory as it was.
 */
public final class Generator {

    private final TemplateRenderer renderer;
    private final GeneratorOptions options;
    private final Consumer<String> progress;

    public Generator(GeneratorOptions options, Consumer<String> progress) throws GenerationException {
        this.options = options;
        this.progress = progress;
        this.renderer = new TemplateRenderer(options.templateDir());
    }

    /** Every file of every target, sorted by path. */
    public List<GeneratedFile> generate(SpecModel model, List<Target> targets) throws GenerationException {
        List<GeneratedFile> out = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Target t : targets) {
            for (FileRequest r : t.plan(model, options)) {
                progress.accept("avps: " + t.name() + ": " + r.path());
                String content = renderer.render(r.template(), data(t, r));
                if (!r.userOwned() && !GeneratedMarker.isPresent(content)) {
                    problems.add("templates/" + r.template() + ":1:1: error: the output lacks the line '"
                            + GeneratedMarker.TEXT + "' (use ${marker} in a comment near the top)");
                }
                String previous = owner.putIfAbsent(r.path(), t.name());
                if (previous != null) {
                    problems.add(r.path() + ": error: written by both target " + previous + " and " + t.name());
                }
                out.add(new GeneratedFile(r.path(), t.name(), content, r.userOwned()));
            }
        }
        if (!problems.isEmpty()) {
            throw new GenerationException(problems);
        }
        out.sort(Comparator.comparing(GeneratedFile::path));
        return out;
    }

    private Map<String, Object> data(Target t, FileRequest r) {
        Map<String, Object> m = new TreeMap<>(r.data());
        m.putIfAbsent("marker", GeneratedMarker.line(null));
        m.put("target", t.name());
        m.put("options", options.asTemplateData());
        m.put("outputPath", r.path());
        return m;
    }
}
