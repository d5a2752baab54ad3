package dev.avps.specmodels;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.SpecModel;
import dev.avps.model.StructLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a device model against Linux's uapi header: generates a C file of {@code _Static_assert}s
 * from the semantic model and lets gcc judge it against Linux's own definitions.
 *
 * <p>Compared: the device ID (VIRTIO_ID_* of virtio_ids.h), every feature bit either side defines
 * (bit numbers, aliases, legacy-only marking), and for every struct both define (the config struct
 * included) the offset and size of every field Linux has, plus {@code sizeof} when both have the
 * same fields. Enum literals and constants Linux also defines are compared by value. Names one side
 * has and the other lacks are {@link Difference}s, which must be named in the allow-list.
 */
final class LinuxOracle {

    static final Path INCLUDE = Path.of("/usr/include/linux");
    static final Path ALLOWLIST = Path.of("src/test/resources/oracle-allowlist.txt");

    private static final Pattern FAILED = Pattern.compile("static assertion failed: \"([^\"]*)\"");
    private static final Pattern GCC_ERROR = Pattern.compile(":\\d+:\\d+: error: (.*)");

    private LinuxOracle() {
    }

    /** A name one side defines and the other does not, or a marking they disagree on. */
    record Difference(String device, String kind, String subject) {
        String key() {
            return device + " " + kind + " " + subject;
        }
    }

    /**
     * The verdict for one device.
     *
     * @param asserts     assertions handed to gcc
     * @param failures    what gcc rejected (failed assertions or other compile errors)
     * @param differences names compared on one side only (allow-listed or not)
     */
    record Report(String name, DeviceModel device, String header, int asserts, List<String> failures,
            List<Difference> differences, Path cFile) {

        List<Difference> unexplained(Allowlist allow) {
            return differences.stream().filter(d -> !allow.contains(d)).toList();
        }

        boolean passes(Allowlist allow) {
            return failures.isEmpty() && unexplained(allow).isEmpty();
        }

        /** One cell of the coverage table. */
        String summary(Allowlist allow) {
            if (!passes(allow)) {
                return "FAIL (" + failures.size() + " failed, " + unexplained(allow).size() + " unexplained)";
            }
            long allowed = differences.stream().filter(allow::contains).count();
            return "pass: " + asserts + (asserts == 1 ? " assert" : " asserts") + (allowed == 0 ? "" : ", " + allowed + " allow-listed");
        }
    }

    /** Whether gcc and Linux's headers are there to judge. */
    static boolean available() {
        if (!Files.isRegularFile(INCLUDE.resolve("virtio_blk.h"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Linux's header for the device (its C name plus .h), if Linux has one. */
    static Optional<Path> headerOf(DeviceModel d) {
        Path h = INCLUDE.resolve(d.cName() + ".h");
        return Files.isRegularFile(h) ? Optional.of(h) : Optional.empty();
    }

    /** The prefix of the device's feature macros: VIRTIO_BLK_F_ for virtio_blk. */
    static String featurePrefix(DeviceModel d) {
        String base = d.cName().startsWith("virtio_") ? d.cName().substring("virtio_".length()) : d.cName();
        return "VIRTIO_" + base.toUpperCase(Locale.ROOT) + "_F_";
    }

    static String macroOf(DeviceModel d, FeatureModel f) {
        return f.cName() != null ? f.cName() : featurePrefix(d) + f.name();
    }

    /** Writes the assertions for one device into {@code dir}, runs gcc and collects the verdict. */
    static Report check(DeviceModel d, Path dir) {
        Path headerPath = headerOf(d).orElseThrow(() -> new IllegalArgumentException(d.name() + ": no Linux header"));
        LinuxHeader h = LinuxHeader.read(headerPath);
        List<Difference> diffs = new ArrayList<>();
        Map<String, String> asserts = new LinkedHashMap<>();
        String dev = d.name();

        // The device ID, through the macro the inventory names for this header.
        String idMacro = Inventory.idMacroForHeader(headerPath.getFileName().toString());
        if (idMacro == null) {
            diffs.add(new Difference(dev, "id-macro-unknown", d.cName()));
        } else {
            asserts.put(dev + "|id|" + idMacro, idMacro + " == " + d.id());
        }

        // Feature bits, both ways.
        String prefix = featurePrefix(d);
        Set<String> modelMacros = new HashSet<>();
        for (FeatureModel f : d.features()) {
            String macro = macroOf(d, f);
            modelMacros.add(macro);
            if (h.defines.containsKey(macro)) {
                asserts.put(dev + "|feature|" + f.name(), macro + " == " + f.bit());
                if (h.legacyMacros.contains(macro) != f.legacy()) {
                    diffs.add(new Difference(dev, "legacy-differs", f.name()));
                }
            } else {
                diffs.add(new Difference(dev, "feature-not-in-linux", f.name()));
            }
            for (String alias : f.aliases()) {
                String am = prefix + alias;
                modelMacros.add(am);
                if (h.defines.containsKey(am)) {
                    asserts.put(dev + "|alias|" + alias, am + " == " + f.bit());
                } else {
                    diffs.add(new Difference(dev, "alias-not-in-linux", alias));
                }
            }
        }
        for (String macro : h.defines.keySet()) {
            if (macro.startsWith(prefix) && !modelMacros.contains(macro)) {
                diffs.add(new Difference(dev, "feature-not-in-model", macro));
            }
        }

        // Structs both sides define: offsets and sizes of Linux's fields.
        List<StructLayout> structs = new ArrayList<>();
        if (d.config() != null) {
            structs.add(d.config());
            if (!h.structs.containsKey(d.config().cName())) {
                diffs.add(new Difference(dev, "struct-not-in-linux", d.config().cName()));
            }
        }
        structs.addAll(d.structs());
        compareStructs(dev, structs, h, asserts, diffs);

        compareValues(dev, d.enums(), d.constants(), h, asserts);

        String header = headerPath.getFileName().toString();
        Path file = write(dir.resolve(d.name() + ".c"), d.sourceFile(), List.of(header), asserts);
        return new Report(dev, d, header, asserts.size(), valueDifferences(dev, gcc(file), diffs), diffs, file);
    }

    /** Linux headers that hold the transport's structures and feature bits. */
    static final List<String> TRANSPORT_HEADERS =
            List.of("virtio_config.h", "virtio_ring.h", "virtio_pci.h", "virtio_mmio.h");

    /** The MMIO register block has no C struct in Linux, only one offset macro per register. */
    static final String MMIO_REGS = "virtio_mmio_regs";

    /**
     * Checks what no device owns: the transport feature bits of the prelude, and the shared
     * structs, enums and constants (rings, PCI common configuration, MMIO registers).
     */
    static Report checkTransport(SpecModel model, Path dir) {
        String name = "transport";
        List<Difference> diffs = new ArrayList<>();
        Map<String, String> asserts = new LinkedHashMap<>();
        LinuxHeader h = LinuxHeader.merge(TRANSPORT_HEADERS.stream().map(INCLUDE::resolve).toList());

        Set<String> modelMacros = new HashSet<>();
        for (FeatureModel f : model.transportFeatures()) {
            String macro = f.cName() != null ? f.cName() : "VIRTIO_F_" + f.name();
            modelMacros.add(macro);
            if (h.defines.containsKey(macro)) {
                asserts.put(name + "|feature|" + f.name(), macro + " == " + f.bit());
                if (h.legacyMacros.contains(macro) != f.legacy()) {
                    diffs.add(new Difference(name, "legacy-differs", f.name()));
                }
            } else {
                diffs.add(new Difference(name, "feature-not-in-linux", f.name()));
            }
            for (String alias : f.aliases()) {
                String am = "VIRTIO_F_" + alias;
                modelMacros.add(am);
                if (h.defines.containsKey(am)) {
                    asserts.put(name + "|alias|" + alias, am + " == " + f.bit());
                } else {
                    diffs.add(new Difference(name, "alias-not-in-linux", alias));
                }
            }
        }
        // The prelude's transport bits reach the model only when a load includes the prelude
        // file itself; the catalog's load does not (dsl-avps owns and tests the prelude).
        for (String macro : model.transportFeatures().isEmpty() ? List.<String>of() : h.defines.keySet()) {
            if ((macro.startsWith("VIRTIO_F_") || macro.startsWith("VIRTIO_RING_F_")) && !modelMacros.contains(macro)) {
                diffs.add(new Difference(name, "feature-not-in-model", macro));
            }
        }

        compareStructs(name, model.structs(), h, asserts, diffs);
        for (StructLayout s : model.structs()) {
            if (!s.cName().equals(MMIO_REGS)) {
                continue;
            }
            for (FieldLayout f : s.fields()) {
                String macro = "VIRTIO_MMIO_" + f.cName().toUpperCase(Locale.ROOT);
                if (f.reserved()) {
                    continue;
                }
                if (h.isNumericMacro(macro)) {
                    asserts.put(name + "|" + MMIO_REGS + "." + f.cName() + "|offset", macro + " == " + f.offset());
                } else {
                    diffs.add(new Difference(name, "field-not-in-linux", MMIO_REGS + "." + f.cName()));
                }
            }
            if (h.isNumericMacro("VIRTIO_MMIO_CONFIG")) {
                asserts.put(name + "|" + MMIO_REGS + "|sizeof", "VIRTIO_MMIO_CONFIG == " + s.size());
            }
        }
        compareValues(name, model.enums(), model.constants(), h, asserts);

        Path file = write(dir.resolve(name + ".c"), "the shared transport specs", TRANSPORT_HEADERS, asserts);
        return new Report(name, null, String.join(", ", TRANSPORT_HEADERS), asserts.size(),
                valueDifferences(name, gcc(file), diffs), diffs, file);
    }

    /**
     * A constant or enum value both sides define but disagree on is a difference the allow-list
     * must explain (a spec that moved on since Linux 6.1), not a layout failure; the other
     * failures stay failures.
     */
    private static List<String> valueDifferences(String name, List<String> failures, List<Difference> diffs) {
        List<String> rest = new ArrayList<>();
        for (String f : failures) {
            String[] tag = f.split("\\|");
            if (tag.length == 3 && (tag[1].equals("const") || tag[1].equals("enum"))) {
                diffs.add(new Difference(name, "value-differs", tag[2]));
            } else {
                rest.add(f);
            }
        }
        return rest;
    }

    private static void compareStructs(String dev, List<StructLayout> structs, LinuxHeader h,
            Map<String, String> asserts, List<Difference> diffs) {
        for (StructLayout s : structs) {
            List<String> linuxFields = h.structs.get(s.cName());
            if (linuxFields == null) {
                continue;
            }
            String type = "struct " + s.cName();
            Set<String> modelFields = new LinkedHashSet<>();
            boolean same = true;
            for (FieldLayout f : s.fields()) {
                modelFields.add(f.cName());
                String tag = dev + "|" + s.cName() + "." + f.cName();
                if (!linuxFields.contains(f.cName())) {
                    diffs.add(new Difference(dev, "field-not-in-linux", s.cName() + "." + f.cName()));
                    same = false;
                    continue;
                }
                if (f.base() == FieldLayout.OffsetBase.START) {
                    asserts.put(tag + "|offset", "offsetof(" + type + ", " + f.cName() + ") == " + f.offset());
                }
                if (f.isFixedSize()) {
                    asserts.put(tag + "|size", "sizeof(((" + type + " *)0)->" + f.cName() + ") == " + f.size());
                }
            }
            for (String lf : linuxFields) {
                if (!modelFields.contains(lf)) {
                    diffs.add(new Difference(dev, "field-not-in-model", s.cName() + "." + lf));
                    same = false;
                }
            }
            // A trailing run-time array makes C add tail padding the wire format lacks: the
            // offsets above already pin such a struct down.
            if (same && !s.variable()) {
                asserts.put(dev + "|" + s.cName() + "|sizeof", "sizeof(" + type + ") == " + s.size());
            }
        }
    }

    /** Values of enum literals and constants that Linux spells the same way. */
    private static void compareValues(String dev, List<EnumModel> enums, List<ConstantModel> constants,
            LinuxHeader h, Map<String, String> asserts) {
        for (EnumModel e : enums) {
            for (EnumModel.Literal l : e.literals()) {
                if (h.words.contains(l.name())) {
                    asserts.put(dev + "|enum|" + l.name(), "(" + l.name() + ") == " + l.value() + "ULL");
                }
            }
        }
        for (ConstantModel c : constants) {
            if (h.words.contains(c.name())) {
                asserts.put(dev + "|const|" + c.name(), "(" + c.name() + ") == " + c.value() + "ULL");
            }
        }
    }

    private static Path write(Path file, String source, List<String> headers, Map<String, String> asserts) {
        StringBuilder c = new StringBuilder();
        c.append("/* Generated by LinuxOracle from the semantic model of ").append(source).append(" */\n");
        c.append("#include <stddef.h>\n#include <linux/virtio_ids.h>\n");
        headers.forEach(hd -> c.append("#include <linux/").append(hd).append(">\n"));
        c.append('\n');
        asserts.forEach((tag, cond) -> c.append("_Static_assert(").append(cond).append(", \"").append(tag).append("\");\n"));
        try {
            Files.writeString(file, c.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Runs gcc on the file; returns the failed assertion tags and any other error messages. */
    static List<String> gcc(Path file) {
        try {
            Process p = new ProcessBuilder("gcc", "-std=gnu11", "-fsyntax-only", "-fmax-errors=0", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of("gcc timed out on " + file);
            }
            List<String> failures = new ArrayList<>();
            for (String line : out.split("\n")) {
                Matcher m = FAILED.matcher(line);
                if (m.find()) {
                    failures.add(m.group(1));
                    continue;
                }
                Matcher e = GCC_ERROR.matcher(line);
                if (e.find()) {
                    failures.add("gcc: " + e.group(1));
                }
            }
            if (failures.isEmpty() && p.exitValue() != 0) {
                failures.add("gcc exited with " + p.exitValue() + ":\n" + out);
            }
            return failures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The documented differences: one per line, {@code device kind subject -- reason}. */
    static final class Allowlist {
        private final Map<String, String> reasons = new LinkedHashMap<>();
        private final List<String> malformed = new ArrayList<>();

        static Allowlist read() {
            Allowlist a = new Allowlist();
            try {
                for (String raw : Files.readAllLines(ALLOWLIST)) {
                    String line = raw.strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    int sep = line.indexOf(" -- ");
                    String key = sep < 0 ? line : line.substring(0, sep).strip().replaceAll("\\s+", " ");
                    String reason = sep < 0 ? "" : line.substring(sep + 4).strip();
                    if (reason.isEmpty() || key.split(" ").length != 3 || a.reasons.containsKey(key)) {
                        a.malformed.add(raw);
                    } else {
                        a.reasons.put(key, reason);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return a;
        }

        boolean contains(Difference d) {
            return reasons.containsKey(d.key());
        }

        Set<String> keys() {
            return reasons.keySet();
        }

        List<String> malformed() {
            return malformed;
        }
    }

    /** The VIRTIO inventory (IDs, Linux macros, spec feature counts) shipped with the tests. */
    static final class Inventory {
        private static JsonObject json;

        static synchronized JsonObject json() {
            if (json == null) {
                try (InputStream in = LinuxOracle.class.getResourceAsStream("/virtio-inventory.json")) {
                    json = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return json;
        }

        static Optional<JsonObject> byId(int id) {
            for (JsonElement e : json().getAsJsonArray("devices")) {
                if (e.getAsJsonObject().get("id").getAsInt() == id) {
                    return Optional.of(e.getAsJsonObject());
                }
            }
            return Optional.empty();
        }

        static String idMacroForHeader(String header) {
            for (JsonElement e : json().getAsJsonArray("devices")) {
                JsonObject o = e.getAsJsonObject();
                JsonElement h = o.get("linux_6_1_header");
                if (h != null && !h.isJsonNull() && h.getAsString().equals(header)) {
                    return o.get("linux_macro").getAsString();
                }
            }
            return null;
        }
    }
}
