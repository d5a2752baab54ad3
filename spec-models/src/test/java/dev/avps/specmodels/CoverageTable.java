package dev.avps.specmodels;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.avps.model.DeviceModel;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Generates the coverage table of README.md from the semantic model, the inventory and the
 * Linux oracle. {@link CoverageTableTest} fails when the committed table differs; run it with
 * {@code -Dcoverage.write=true} to rewrite the table instead.
 */
final class CoverageTable {

    static final Path README = Path.of("README.md");
    static final String BEGIN = "<!-- coverage:begin -->";
    static final String END = "<!-- coverage:end -->";

    private CoverageTable() {
    }

    /** The table (without markers) for the model and the oracle's reports. */
    static String render(SpecModel model, List<LinuxOracle.Report> reports, LinuxOracle.Allowlist allow) {
        Map<String, LinuxOracle.Report> byName =
                reports.stream().collect(Collectors.toMap(LinuxOracle.Report::name, Function.identity()));
        StringBuilder t = new StringBuilder();
        t.append("| Device | File | ID | Spec / status | Features modeled / spec | Config bytes model / spec | Queues | Requests | Linux 6.1 oracle | Backend |\n");
        t.append("|---|---|---:|---|---|---|---:|---:|---|---|\n");
        List<DeviceModel> devices = model.devices().stream().sorted(Comparator.comparingInt(DeviceModel::id)).toList();
        for (DeviceModel d : devices) {
            Optional<JsonObject> inv = LinuxOracle.Inventory.byId(d.id());
            String file = d.sourceFile().replace('\\', '/');
            file = file.substring(file.lastIndexOf("/virtio/") + 1);
            String status = d.specVersion() + " / " + d.status().name().toLowerCase(java.util.Locale.ROOT);
            String specFeatures = inv.map(o -> num(o.get("spec_feature_bits"))).orElse("—");
            String specConfig = inv.map(o -> num(o.get("spec_config_sizeof_packed"))).orElse("—");
            String config = d.config() == null ? "none" : Integer.toString(d.config().size());
            LinuxOracle.Report rep = byName.get(d.name());
            String oracle = rep != null ? rep.summary(allow)
                    : inv.map(o -> o.get("linux_macro")).filter(e -> !e.isJsonNull())
                            .map(e -> "no header (" + e.getAsString() + " only)").orElse("not in Linux 6.1");
            t.append("| ").append(d.name())
                    .append(" | `").append(file).append('`')
                    .append(" | ").append(d.id())
                    .append(" | ").append(status)
                    .append(" | ").append(d.features().size()).append(" / ").append(specFeatures)
                    .append(" | ").append(config).append(" / ").append(specConfig)
                    .append(" | ").append(d.queues().size())
                    .append(" | ").append(d.requests().size())
                    .append(" | ").append(oracle)
                    .append(" | ").append(BackendStatus.of(d.name())).append(" |\n");
        }
        LinuxOracle.Report transport = byName.get("transport");
        t.append("\nShared types outside any device (`virtio/ring.avps`, `pci.avps`, `mmio.avps`, `config.avps`, ")
                .append("`ids.avps`, `video.avps`): ")
                .append(model.structs().size()).append(" structs, ").append(model.enums().size())
                .append(" enums, ").append(model.constants().size()).append(" constants; Linux oracle against ")
                .append(LinuxOracle.TRANSPORT_HEADERS.stream().collect(Collectors.joining(", ")))
                .append(": ").append(transport == null ? "not run" : transport.summary(allow)).append(".\n");
        List<LinuxOracle.Report> facts = reports.stream().filter(r -> r.name().endsWith(".h")).toList();
        t.append("\nGenerated `c-linux` headers against every fact of Linux 6.1's virtio headers: ");
        if (facts.isEmpty()) {
            t.append("not run.\n");
        } else {
            long failing = facts.stream().filter(r -> !r.passes(allow)).count();
            long allowed = facts.stream().flatMap(r -> r.differences().stream()).filter(allow::contains).count();
            t.append(failing == 0 ? "pass" : "FAIL in " + failing + " header(s)").append(": ")
                    .append(facts.stream().mapToInt(LinuxOracle.Report::asserts).sum()).append(" facts equal in ")
                    .append(facts.size()).append(" headers, ").append(allowed).append(" allow-listed.\n");
        }
        return t.toString();
    }

    private static String num(JsonElement e) {
        return e == null || e.isJsonNull() ? "—" : e.getAsString();
    }

    /** The README with the text between the markers replaced by the table. */
    static String rewrite(String readme, String table) {
        int b = readme.indexOf(BEGIN);
        int e = readme.indexOf(END);
        if (b < 0 || e < b) {
            throw new IllegalStateException(README + " lacks the " + BEGIN + " / " + END + " markers");
        }
        return readme.substring(0, b + BEGIN.length()) + "\n" + table + readme.substring(e);
    }

    static String current() {
        try {
            return Files.readString(README);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(String readme) {
        try {
            Files.writeString(README, readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
