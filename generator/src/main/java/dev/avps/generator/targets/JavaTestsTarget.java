package dev.avps.generator.targets;

import dev.avps.generator.FileRequest;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.Target;
import dev.avps.generator.TemplateData;
import dev.avps.generator.java.JavaDeviceView;
import dev.avps.generator.java.JavaTestView;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JUnit 5 test per device for the {@code java} target's code: config layout round trip,
 * feature negotiation, and every request format as a real chain on the runtime's loopback
 * transport, dispatched by the generated base class to a test subclass.
 */
public final class JavaTestsTarget implements Target {

    @Override
    public String name() {
        return "java-tests";
    }

    @Override
    public String description() {
        return "JUnit 5 tests of the java target's code on the loopback transport";
    }

    @Override
    public Root root() {
        return Root.TEST_SOURCES;
    }

    @Override
    public List<FileRequest> plan(SpecModel model, GeneratorOptions options) {
        List<FileRequest> out = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            JavaDeviceView j = JavaDeviceView.of(d, model, options.javaPackage());
            JavaTestView t = JavaTestView.of(j, d);
            Map<String, Object> data = TemplateData.forJava(model, d, j);
            data.put("t", t);
            out.add(new FileRequest(j.pkg().replace('.', '/') + "/" + t.testClass() + ".java",
                    name() + "/test.java.ftl", data));
        }
        return out;
    }
}
