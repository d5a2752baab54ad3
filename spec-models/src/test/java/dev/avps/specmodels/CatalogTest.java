package dev.avps.specmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalog as a whole: loads cleanly, IDs are unique, every spec is in the jar. */
class CatalogTest {

    @Test
    void catalogLoadsWithoutErrors() {
        SpecLoader.Result r = Catalog.load();
        assertFalse(r.hasErrors(), () -> String.join("\n", r.diagnostics().stream().map(Object::toString).toList()));
        assertNotNull(r.model());
        assertTrue(r.model().devices().size() >= 30, "devices: " + r.model().devices().size());
    }

    /**
     * The only warnings allowed are the ones README.md explains: a line of its "Known
     * warnings" section must name the file and the quoted field or struct.
     */
    @Test
    void everyWarningIsExplainedInTheReadme() throws IOException {
        List<String> readme = Files.readAllLines(CoverageTable.README);
        List<String> unexplained = new ArrayList<>();
        for (SpecDiagnostic d : Catalog.load().diagnostics()) {
            if (d.severity() != SpecDiagnostic.Severity.WARNING) {
                continue;
            }
            String file = d.file().replace('\\', '/');
            file = file.substring(file.indexOf("virtio/"));
            Matcher m = QUOTED.matcher(d.message());
            String subject = m.find() ? m.group() : d.message();
            String f = file;
            if (readme.stream().noneMatch(l -> l.startsWith("- ") && l.contains(f) && l.contains(subject))) {
                unexplained.add(d.toString());
            }
        }
        assertEquals(List.of(), unexplained, "warnings not explained under \"Known warnings\" in README.md");
    }

    private static final Pattern QUOTED = Pattern.compile("'[^']+'");

    @Test
    void deviceIdsAndNamesAreUnique() {
        Map<Integer, String> ids = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> files = new HashMap<>();
        for (DeviceModel d : Catalog.load().model().devices()) {
            String prev = ids.put(d.id(), d.name());
            assertEquals(null, prev, "device ID " + d.id() + " used by " + prev + " and " + d.name());
            assertEquals(null, names.put(d.name(), d.sourceFile()), "device name " + d.name());
            assertEquals(null, files.put(d.sourceFile(), d.name()), "one device per file: " + d.sourceFile());
            assertTrue(d.id() > 0 && d.id() <= 0xffff, d.name() + ": ID out of range");
        }
    }

    @Test
    void everyDeviceIsDocumentedAndHasOneFile() {
        for (DeviceModel d : Catalog.load().model().devices()) {
            assertNotNull(d.doc(), d.name() + " has no doc");
            assertTrue(d.sourceFile().replace('\\', '/').contains("/virtio/") || d.sourceFile().contains("/avps/"),
                    d.sourceFile());
            assertFalse(d.specVersion().isBlank(), d.name());
        }
    }

    /**
     * For every device with a VIRTIO 1.4 chapter, the number of feature bits and the packed
     * config size agree with the inventory (counted from the spec sources).
     */
    @Test
    void featureCountsAndConfigSizesMatchTheSpecInventory() {
        List<String> mismatches = new ArrayList<>();
        for (DeviceModel d : Catalog.load().model().devices()) {
            var inv = LinuxOracle.Inventory.byId(d.id());
            if (inv.isEmpty() || inv.get().get("spec_chapter").isJsonNull()) {
                continue;
            }
            var features = inv.get().get("spec_feature_bits");
            if (!features.isJsonNull() && features.getAsInt() != d.features().size()) {
                mismatches.add(d.name() + ": " + d.features().size() + " features, spec has " + features.getAsInt());
            }
            var config = inv.get().get("spec_config_sizeof_packed");
            int modelConfig = d.config() == null ? -1 : d.config().size();
            int specConfig = config.isJsonNull() ? -1 : config.getAsInt();
            if (modelConfig != specConfig) {
                mismatches.add(d.name() + ": config " + modelConfig + " bytes, spec " + specConfig);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void everySpecIsPackagedAsResource() throws IOException {
        // maven's resources phase copies src/main/avps to target/classes/avps before the tests run.
        try (Stream<Path> s = Files.walk(Catalog.SPECS)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".avps")).toList()) {
                Path rel = Catalog.SPECS.relativize(p);
                assertTrue(Files.isRegularFile(Path.of("target/classes/avps").resolve(rel)), "not in the jar: " + rel);
            }
        }
    }
}
