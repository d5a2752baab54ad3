package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.docs.DeviceDocView;
import dev.avps.generator.docs.PlatformDocView;
import dev.avps.generator.docs.RequirementTable;
import dev.avps.model.DeviceModel;
import dev.avps.model.PlatformModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A static site for a whole catalog: {@code html/index.html} listing every device by ID and a page
 * per device with inline SVG layouts, and a page per platform. No scripts, no external files: it
 * opens from disk.
 */
public final class DocsHtmlTarget implements Target {

    @Override
    public String name() {
        return "docs-html";
    }

    @Override
    public String description() {
        return "a static HTML site for the catalog with SVG byte layouts";
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        List<DeviceDocView> views = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            DeviceDocView view = DeviceDocView.of(d, TemplateData.sourceName(d));
            views.add(view);
            Map<String, Object> data = TemplateData.forDevice(model, d);
            data.put("doc", view);
            out.add(new FileRequest("html/" + d.cName() + ".html", name() + "/device.html.ftlh", data));
        }
        views.sort(Comparator.comparingInt(DeviceDocView::id).thenComparing(DeviceDocView::name));
        List<PlatformDocView> platforms = new ArrayList<>();
        for (PlatformModel p : model.platforms()) {
            PlatformDocView view = PlatformDocView.of(p, model);
            platforms.add(view);
            out.add(new FileRequest("html/platform-" + p.name() + ".html", name() + "/platform.html.ftlh",
                    TemplateData.forPlatform(model, view)));
        }
        Map<String, Object> index = TemplateData.forCatalog(model);
        index.put("docs", views);
        index.put("platforms", platforms);
        index.put("common", new RequirementTable(model.requirements()));
        out.add(new FileRequest("html/index.html", name() + "/index.html.ftlh", index));
        return out;
    }
}
