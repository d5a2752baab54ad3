package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.docs.DeviceDocView;
import dev.avps.generator.docs.PlatformDocView;
import dev.avps.generator.docs.RequirementTable;
import dev.avps.generator.text.MarkdownText;
import dev.avps.model.DeviceModel;
import dev.avps.model.PlatformModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Markdown chapter per device, {@code md/<c-name>.md}, and the rules every device honours in
 * {@code md/common-requirements.md}, and a chapter per platform, {@code md/platform-<name>.md}.
 */
public final class DocsMarkdownTarget implements Target {

    @Override
    public String name() {
        return "docs-md";
    }

    @Override
    public String description() {
        return "a Markdown chapter per device";
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            Map<String, Object> data = TemplateData.forDevice(model, d);
            data.put("doc", DeviceDocView.of(d, TemplateData.sourceName(d)));
            data.put("md", TemplateData.statics(MarkdownText.class));
            out.add(new FileRequest("md/" + d.cName() + ".md", name() + "/device.md.ftl", data));
        }
        if (!model.requirements().isEmpty()) {
            // The rules every device honours (declared outside any device) get a page of their own.
            Map<String, Object> data = TemplateData.forCatalog(model);
            data.put("table", new RequirementTable(model.requirements()));
            data.put("md", TemplateData.statics(MarkdownText.class));
            out.add(new FileRequest("md/common-requirements.md", name() + "/common.md.ftl", data));
        }
        for (PlatformModel p : model.platforms()) {
            Map<String, Object> data = TemplateData.forPlatform(model, PlatformDocView.of(p, model));
            data.put("md", TemplateData.statics(MarkdownText.class));
            out.add(new FileRequest("md/platform-" + p.name() + ".md", name() + "/platform.md.ftl", data));
        }
        return out;
    }
}
