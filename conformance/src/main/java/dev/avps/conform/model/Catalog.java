package dev.avps.conform.model;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog's model of one device, loaded from spec-models' jar ({@code avps/virtio/<device>.avps}
 * on the class path) through the same loader the CLI uses, plus where each requirement is written
 * (the report links a requirement to its .avps line).
 */
public final class Catalog {
    private static final String ROOT = "avps/virtio/";
    private static final Pattern REQUIREMENT = Pattern.compile("(?m)^\\s*requirement\\s+([A-Za-z_][A-Za-z0-9_]*)\\b");

    private final DeviceModel device;
    private final List<FeatureModel> transportFeatures;
    private final String file;
    private final Map<String, Integer> requirementLines;

    private Catalog(DeviceModel device, List<FeatureModel> transportFeatures, String file,
            Map<String, Integer> requirementLines) {
        this.device = device;
        this.transportFeatures = transportFeatures;
        this.file = file;
        this.requirementLines = requirementLines;
    }

    /** Loads {@code deviceName}'s spec from the class path; fails with a message naming the file. */
    public static Catalog load(String deviceName) throws IOException {
        String file = ROOT + deviceName + SpecLoader.EXTENSION;
        String text;
        try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IOException("the catalog has no device '" + deviceName + "' (no " + file
                        + " on the class path)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return fromText(deviceName, file, text);
    }

    /** Builds the model of a spec given as text (tests; a spec outside the catalog). */
    public static Catalog fromText(String deviceName, String file, String text) throws IOException {
        SpecLoader.Result r = SpecLoader.create().checkText(file, text);
        if (r.model() == null) {
            StringBuilder b = new StringBuilder("cannot load " + file + ":");
            for (SpecDiagnostic d : r.diagnostics()) {
                b.append("\n  ").append(d);
            }
            throw new IOException(b.toString());
        }
        SpecModel model = r.model();
        DeviceModel device = model.devices().stream().filter(d -> d.name().equals(deviceName)).findFirst()
                .orElseThrow(() -> new IOException(file + " declares no device '" + deviceName + "'"));
        Map<String, Integer> lines = new LinkedHashMap<>();
        Matcher m = REQUIREMENT.matcher(text);
        while (m.find()) {
            lines.put(m.group(1), 1 + (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count());
        }
        return new Catalog(device, model.transportFeatures(), file, lines);
    }

    public DeviceModel device() {
        return device;
    }

    public List<FeatureModel> transportFeatures() {
        return transportFeatures;
    }

    /** The spec file as the jar names it, e.g. {@code avps/virtio/blk.avps}. */
    public String file() {
        return file;
    }

    /** The line a requirement is declared on, or 0 when it is not in this file. */
    public int requirementLine(String id) {
        return requirementLines.getOrDefault(id, 0);
    }
}
