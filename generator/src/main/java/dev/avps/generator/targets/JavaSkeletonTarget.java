package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.java.JavaDeviceView;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's half of the generation gap: {@code <Dev>Device extends <Dev>DeviceBase} with one stub
 * per handler. Its files are user-owned: written only where no file exists, never replaced, so
 * point this target at a source folder people edit (Maven: a second execution writing to
 * {@code src/main/java}).
 */
public final class JavaSkeletonTarget implements Target {

    @Override
    public String name() {
        return "java-skeleton";
    }

    @Override
    public String description() {
        return "the <Dev>Device subclass to fill in, written only when absent";
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            JavaDeviceView j = JavaDeviceView.of(d, model, options.javaPackage());
            out.add(new FileRequest(j.pkg().replace('.', '/') + "/" + j.deviceClass() + ".java",
                    name() + "/device.java.ftl", TemplateData.forJava(model, d, j), true));
        }
        return out;
    }
}
