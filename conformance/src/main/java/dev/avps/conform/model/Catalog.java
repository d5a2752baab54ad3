package dev.avps.conform.model;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog's model of one device, loaded from spec-models' jar ({@code avps/virtio/<device>.avps}
 * on the class path) through the same loader the CLI uses, plus where each requirement is written
 * (the report links a requirement to its .avps line), plus the shared rules every device honours
 * (config.avps and ring.avps). The catalog is the one source of requirement IDs and of which check
 * tests which requirement ({@code checked by}); the runner's report joins on it.
 */
public final class Catalog {
    private static final String ROOT = "avps/virtio/";
    /** The files whose top-level requirements apply to every device. */
    static final List<String> SHARED_FILES = List.of("config", "ring");
    private static List<Located> shared;

    /**
     * One requirement with the place the catalog writes it.
     *
     * @param file as the jar names it, e.g. {@code avps/virtio/blk.avps}
     */
    public record Located(RequirementModel requirement, String file, int line) {
        public String id() {
            return requirement.id();
        }
    }

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
        return fromText(deviceName, file, read(file, "the catalog has no device '" + deviceName + "'"));
    }

    private static String read(String file, String missing) throws IOException {
        try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IOException(missing + " (no " + file + " on the class path)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The device-side rules of config.avps and ring.avps, in file then declaration order (loaded once). */
    public static synchronized List<Located> sharedRules() throws IOException {
        if (shared == null) {
            List<Located> out = new ArrayList<>();
            for (String name : SHARED_FILES) {
                String file = ROOT + name + SpecLoader.EXTENSION;
                String text = read(file, "the catalog lacks its shared rules");
                Map<String, Integer> lines = lines(text);
                for (RequirementModel r : model(file, text).requirements()) {
                    if (r.party() == RequirementModel.Party.DEVICE) {
                        out.add(new Located(r, file, lines.getOrDefault(r.id(), 0)));
                    }
                }
            }
            shared = List.copyOf(out);
        }
        return shared;
    }

    /**
     * A device model built elsewhere (a platform's entry, loaded with the files around it), for a
     * {@link dev.avps.conform.Target}; it knows no requirement lines.
     */
    public static Catalog of(DeviceModel device, List<FeatureModel> transportFeatures) {
        return new Catalog(device, List.copyOf(transportFeatures), device.sourceFile(), Map.of());
    }

    /** Builds the model of a spec given as text (tests; a spec outside the catalog). */
    public static Catalog fromText(String deviceName, String file, String text) throws IOException {
        SpecModel model = model(file, text);
        DeviceModel device = model.devices().stream().filter(d -> d.name().equals(deviceName)).findFirst()
                .orElseThrow(() -> new IOException(file + " declares no device '" + deviceName + "'"));
        return new Catalog(device, model.transportFeatures(), file, lines(text));
    }

    private static SpecModel model(String file, String text) throws IOException {
        SpecLoader.Result r = SpecLoader.create().checkText(file, text);
        if (r.model() == null) {
            StringBuilder b = new StringBuilder("cannot load " + file + ":");
            for (SpecDiagnostic d : r.diagnostics()) {
                b.append("\n  ").append(d);
            }
            throw new IOException(b.toString());
        }
        return r.model();
    }

    /** Each requirement ID of the text with the line it is declared on. */
    private static Map<String, Integer> lines(String text) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        Matcher m = REQUIREMENT.matcher(text);
        while (m.find()) {
            lines.put(m.group(1), 1 + (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count());
        }
        return lines;
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

    /** The device's own device-side requirements (driver-side ones are no runner's business), in order. */
    public List<Located> deviceRequirements() {
        return device.requirements().stream().filter(r -> r.party() == RequirementModel.Party.DEVICE)
                .map(r -> new Located(r, file, requirementLine(r.id()))).toList();
    }

    /** The line a requirement is declared on, or 0 when it is not in this file. */
    public int requirementLine(String id) {
        return requirementLines.getOrDefault(id, 0);
    }
}
