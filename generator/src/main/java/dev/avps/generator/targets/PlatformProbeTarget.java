package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratedMarker;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.probe.ProbeView;
import dev.avps.model.PlatformModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A guest probe per platform, {@code probe/<platform>-probe.c}: one static C program (libc only,
 * {@code gcc -static}) that a Linux guest runs to compare the virtio devices it sees with the
 * platform, printing one machine-readable verdict per statement (see the file's header).
 */
public final class PlatformProbeTarget implements Target {

    @Override
    public String name() {
        return "platform-probe";
    }

    @Override
    public String description() {
        return "a guest probe (static C) per platform that checks it from inside a Linux guest";
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        for (PlatformModel p : model.platforms()) {
            Map<String, Object> data = new HashMap<>();
            data.put("model", model);
            data.put("p", ProbeView.of(p));
            data.put("c", TemplateData.statics(ProbeView.class));
            String source = p.sourceFile() == null ? null : p.sourceFile().substring(p.sourceFile().lastIndexOf('/') + 1);
            data.put("marker", GeneratedMarker.line(source));
            out.add(new FileRequest("probe/" + p.name() + "-probe.c", name() + "/probe.c.ftl", data));
        }
        return out;
    }
}
