package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.java.JavaDeviceView;
import dev.avps.generator.java.JavaFlyweight;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Java backend skeleton per device on runtime-virtqueue, one file per concept: features with a
 * negotiation check, the config view, a flyweight per struct and per request, constants and enums,
 * and {@code <Dev>DeviceBase} that dispatches chains to abstract handlers. The user's subclass
 * comes from {@link JavaSkeletonTarget}.
 */
public final class JavaTarget implements Target {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String description() {
        return "Java flyweights, features and a VirtioDevice base class per device";
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            JavaDeviceView j = JavaDeviceView.of(d, model, options.javaPackage());
            String dir = j.pkg().replace('.', '/') + "/";
            out.add(file(model, d, j, dir + j.featuresClass(), "features", null));
            if (j.config() != null) {
                out.add(file(model, d, j, dir + j.config().className(), "config", j.config()));
            }
            for (JavaFlyweight s : j.structs()) {
                out.add(file(model, d, j, dir + s.className(), "struct", s));
            }
            for (JavaDeviceView.JEnum e : j.enums()) {
                Map<String, Object> data = TemplateData.forJava(model, d, j);
                data.put("e", e);
                out.add(new FileRequest(dir + e.className() + ".java", name() + "/enum.java.ftl", data));
            }
            if (!j.constants().isEmpty()) {
                out.add(file(model, d, j, dir + j.constantsClass(), "constants", null));
            }
            for (JavaDeviceView.Request r : j.requests()) {
                Map<String, Object> data = TemplateData.forJava(model, d, j);
                data.put("r", r);
                out.add(new FileRequest(dir + r.className() + ".java", name() + "/request.java.ftl", data));
            }
            out.add(file(model, d, j, dir + j.baseClass(), "base", null));
        }
        return out;
    }

    private FileRequest file(SpecModel model, DeviceModel d, JavaDeviceView j, String path, String template,
            JavaFlyweight s) {
        Map<String, Object> data = TemplateData.forJava(model, d, j);
        if (s != null) {
            data.put("s", s);
        }
        return new FileRequest(path + ".java", name() + "/" + template + ".java.ftl", data);
    }
}
