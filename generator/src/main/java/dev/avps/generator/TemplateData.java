package dev.avps.generator;

import dev.avps.generator.docs.PlatformDocView;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import java.util.HashMap;
import java.util.Map;

/** The variables templates of per-device files share (see TEMPLATES.md). */
public final class TemplateData {

    private TemplateData() {
    }

    /** The spec file a device came from, by file name only: output must not depend on where the checkout is. */
    public static String sourceName(DeviceModel d) {
        if (d.sourceFile() == null) {
            return "";
        }
        String s = d.sourceFile();
        return s.substring(s.lastIndexOf('/') + 1);
    }

    public static Map<String, Object> forDevice(SpecModel model, DeviceModel d) {
        Map<String, Object> m = new HashMap<>();
        m.put("model", model);
        m.put("device", d);
        m.put("marker", GeneratedMarker.line(sourceName(d)));
        return m;
    }

    public static Map<String, Object> forCatalog(SpecModel model) {
        Map<String, Object> m = new HashMap<>();
        m.put("model", model);
        m.put("devices", model.devices());
        m.put("marker", GeneratedMarker.line(null));
        return m;
    }

    /** A platform chapter's data: the platform's view as {@code platform}, marked with its spec file. */
    public static Map<String, Object> forPlatform(SpecModel model, PlatformDocView view) {
        Map<String, Object> m = new HashMap<>();
        m.put("model", model);
        m.put("platform", view);
        m.put("marker", GeneratedMarker.line(view.source()));
        return m;
    }

    /** A java-family file's data: the device's variables plus the Java view as {@code j}. */
    public static Map<String, Object> forJava(SpecModel model, DeviceModel d, Object javaView) {
        Map<String, Object> m = forDevice(model, d);
        m.put("j", javaView);
        return m;
    }

    /** A class's static methods for templates, e.g. {@code CComment.block(doc, "")}. */
    public static TemplateModel statics(Class<?> type) {
        try {
            return new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34).build().getStaticModels()
                    .get(type.getName());
        } catch (TemplateModelException e) {
            throw new IllegalStateException("cannot expose " + type.getName() + " to templates", e);
        }
    }
}
