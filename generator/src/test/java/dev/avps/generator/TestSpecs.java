package dev.avps.generator;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Loads test specs once per JVM: building the Xtext injector costs about a second. */
public final class TestSpecs {

    public static final Path DEMO = Path.of("src/test/resources/specs/demo.avps");
    public static final Path BLK = Path.of("../spec-models/src/main/avps/virtio/blk.avps");

    private static SpecLoader loader;
    private static final Map<List<Path>, SpecModel> MODELS = new HashMap<>();

    private TestSpecs() {
    }

    public static synchronized SpecModel model(Path... specs) {
        return MODELS.computeIfAbsent(List.of(specs), p -> {
            if (loader == null) {
                loader = SpecLoader.create();
            }
            SpecLoader.Result r = loader.load(p);
            assertFalse(r.hasErrors(), () -> "test spec has errors: " + r.diagnostics());
            return r.model();
        });
    }

    public static DeviceModel device(Path spec) {
        return model(spec).devices().get(0);
    }
}
