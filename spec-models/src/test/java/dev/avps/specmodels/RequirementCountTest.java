package dev.avps.specmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.model.DeviceModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The modeled device requirements of every served device against the statements counted in its
 * VIRTIO 1.4 chapter (requirement-facts.txt, written by tools/count_requirements.py): section by
 * section the same number, nothing citing a section the rule does not count, every one with a status.
 */
class RequirementCountTest {

    /** Catalog device name -> chapter key of the facts file. */
    static final Map<String, String> SERVED = new LinkedHashMap<>();

    static {
        SERVED.put("net", "net");
        SERVED.put("rng", "rng");
        SERVED.put("blk", "blk");
        SERVED.put("vsock", "vsock");
        SERVED.put("gpio", "gpio");
        SERVED.put("i2c", "i2c");
        SERVED.put("input", "input");
        SERVED.put("sound", "sound");
        SERVED.put("console", "console");
        SERVED.put("spi", "spi");
        SERVED.put("can", "can");
        SERVED.put("balloon", "balloon");
        SERVED.put("rtc", "rtc");
    }

    static DeviceModel device(String name) {
        return Catalog.load().model().devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"net", "rng", "blk", "vsock", "gpio", "i2c", "input", "sound", "console", "spi", "can", "balloon", "rtc"})
    void eachSectionHasAsManyRequirementsAsTheChapterCounts(String name) {
        List<RequirementFacts.Section> facts = RequirementFacts.load().get(SERVED.get(name));
        assertNotNull(facts, "no facts for " + name);
        List<RequirementModel> device = device(name).requirements().stream()
                .filter(r -> r.party() == RequirementModel.Party.DEVICE).toList();
        assertEquals(bySection(facts), modeledBySection(device), name + ": requirements per section");
        assertEquals(RequirementFacts.total(facts), device.size(), name + ": device requirements in all");
        for (RequirementModel r : device) {
            assertNotEquals(RequirementModel.Status.UNSTATED, r.status(), name + ": " + r.id() + " has no status");
        }
    }

    /**
     * The rules every backend honours, declared outside any device (config.avps, ring.avps):
     * chapter 2 up to the packed ring (not the administration virtqueues and device groups of
     * 2.12 and 2.13) and chapter 6; not 3.4 (suspend). See README.md for why.
     */
    static List<RequirementFacts.Section> commonScope() {
        Map<String, List<RequirementFacts.Section>> facts = RequirementFacts.load();
        List<RequirementFacts.Section> out = new java.util.ArrayList<>();
        facts.get("common.basic").stream()
                .filter(s -> !s.number().startsWith("2.12.") && !s.number().startsWith("2.13."))
                .forEach(out::add);
        out.addAll(facts.get("common.features"));
        return out;
    }

    @Test
    void theCommonRulesMatchTheirSections() {
        List<RequirementModel> shared = Catalog.load().model().requirements();
        assertEquals(bySection(commonScope()), modeledBySection(shared), "shared requirements per section");
        for (RequirementModel r : shared) {
            assertEquals(RequirementModel.Party.DEVICE, r.party(), r.id());
            assertNotEquals(RequirementModel.Status.UNSTATED, r.status(), r.id() + " has no status");
            assertTrue(r.id().matches("(vq|init|feat)_[a-z0-9_]+"), r.id() + ": shared IDs start vq_, init_ or feat_");
        }
    }

    /** Every served device's chapter has device-side statements, so the comparison above is never empty. */
    @Test
    void factsCoverEveryServedDevice() {
        Map<String, List<RequirementFacts.Section>> facts = RequirementFacts.load();
        for (String chapter : SERVED.values()) {
            assertTrue(RequirementFacts.total(facts.getOrDefault(chapter, List.of())) > 0, chapter);
        }
        assertEquals(Set.copyOf(SERVED.keySet()), Set.of("net", "rng", "blk", "vsock", "gpio", "i2c", "input", "sound", "console", "spi", "can", "balloon", "rtc"));
    }

    @Test
    void requirementIdsAreUniqueAcrossTheCatalog() {
        SpecModel m = Catalog.load().model();
        Set<String> seen = new HashSet<>();
        m.requirements().forEach(r -> assertTrue(seen.add(r.id()), "requirement " + r.id() + " twice"));
        for (DeviceModel d : m.devices()) {
            d.requirements().forEach(r -> assertTrue(seen.add(r.id()), "requirement " + r.id() + " twice"));
        }
    }

    /** The README's table (chapter vs modeled) states what the model and the facts say. */
    @Test
    void readmeTableMatches() throws IOException {
        String readme = Files.readString(CoverageTable.README);
        Map<String, List<RequirementFacts.Section>> facts = RequirementFacts.load();
        for (Map.Entry<String, String> e : SERVED.entrySet()) {
            List<RequirementModel> device = device(e.getKey()).requirements().stream()
                    .filter(r -> r.party() == RequirementModel.Party.DEVICE).toList();
            long checked = device.stream().filter(r -> r.status() == RequirementModel.Status.CHECKED).count();
            String row = "| " + e.getKey() + " | " + sections(facts.get(e.getValue())) + " | "
                    + RequirementFacts.total(facts.get(e.getValue())) + " | " + device.size() + " | " + checked + " |";
            assertTrue(readme.contains(row), "README lacks the row " + row);
        }
        List<RequirementModel> shared = Catalog.load().model().requirements();
        long checked = shared.stream().filter(r -> r.status() == RequirementModel.Status.CHECKED).count();
        String row = "| common (config.avps, ring.avps) | " + sections(commonScope()) + " | "
                + RequirementFacts.total(commonScope()) + " | " + shared.size() + " | " + checked + " |";
        assertTrue(readme.contains(row), "README lacks the row " + row);
    }

    static String sections(List<RequirementFacts.Section> s) {
        return s.stream().map(RequirementFacts.Section::number).collect(Collectors.joining(", "));
    }

    static Map<String, Integer> bySection(List<RequirementFacts.Section> facts) {
        Map<String, Integer> out = new TreeMap<>();
        facts.forEach(s -> out.put(s.number(), s.count()));
        return out;
    }

    static Map<String, Integer> modeledBySection(List<RequirementModel> rs) {
        Map<String, Integer> out = new TreeMap<>();
        rs.forEach(r -> out.merge(String.valueOf(r.section()), 1, Integer::sum));
        return out;
    }
}
