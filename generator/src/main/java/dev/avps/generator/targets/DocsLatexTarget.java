package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.docs.DeviceDocView;
import dev.avps.generator.docs.PlatformDocView;
import dev.avps.generator.text.LatexText;
import dev.avps.model.DeviceModel;
import dev.avps.model.PlatformModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A device chapter in the shape of an OASIS VIRTIO device section, {@code latex/<c-name>.tex}, for
 * a virtio-spec patch: it uses the spec's own macros (\drivernormative, \devicenormative,
 * \conformance) and lstlisting for struct declarations in the spec's own notation. A platform gets a
 * chapter too, {@code latex/platform-<name>.tex}, in plain LaTeX (tabular and description lists).
 */
public final class DocsLatexTarget implements Target {

    @Override
    public String name() {
        return "docs-latex";
    }

    @Override
    public String description() {
        return "an OASIS VIRTIO style LaTeX chapter per device";
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            Map<String, Object> data = TemplateData.forDevice(model, d);
            data.put("doc", DeviceDocView.of(d, TemplateData.sourceName(d)));
            data.put("tex", TemplateData.statics(LatexText.class));
            out.add(new FileRequest("latex/" + d.cName() + ".tex", name() + "/device.tex.ftl", data));
        }
        for (PlatformModel p : model.platforms()) {
            Map<String, Object> data = TemplateData.forPlatform(model, PlatformDocView.of(p, model));
            data.put("tex", TemplateData.statics(LatexText.class));
            out.add(new FileRequest("latex/platform-" + p.name() + ".tex", name() + "/platform.tex.ftl", data));
        }
        return out;
    }
}
