package dev.avps.generator.docs;

import dev.avps.generator.text.Prose;
import dev.avps.model.DeviceModel;
import dev.avps.model.PlatformModel;
import dev.avps.model.PlatformModel.Demand;
import dev.avps.model.PlatformModel.DeviceEntry;
import dev.avps.model.PlatformModel.Rule;
import dev.avps.model.PlatformModel.Statement;
import dev.avps.model.RequirementModel.Level;
import dev.avps.model.SpecModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A platform as the documentation targets present it: its header facts, the device x requirement
 * matrix and every statement with how it is checked. The Markdown, LaTeX and HTML chapters print
 * this view, each in its own syntax.
 *
 * @param transports the allowed transports, e.g. "pci, mmio", or "any" when the platform names none
 * @param source     the spec file's name only: output must not depend on where the checkout is
 */
public record PlatformDocView(String name, String title, String version, String status, String transports,
        String doc, List<String> paragraphs, String source, List<PlatformDeviceRow> devices,
        List<PlatformStatementRow> statements) {

    public static PlatformDocView of(PlatformModel p, SpecModel model) {
        // Only devices generated alongside have a page to link to; a library catalog's do not.
        Set<String> pages = model.devices().stream().map(DeviceModel::cName).collect(Collectors.toSet());
        List<PlatformDeviceRow> rows = new ArrayList<>();
        for (DeviceEntry d : p.devices()) {
            rows.add(row(d, pages.contains(d.device().cName()) ? d.device().cName() : null));
        }
        return new PlatformDocView(p.name(), "Platform " + p.name(), p.version(),
                p.status().name().toLowerCase(Locale.ROOT),
                p.transports().isEmpty() ? "any" : String.join(", ", p.transports()), Prose.oneLine(p.doc()),
                Prose.paragraphs(p.doc()), fileName(p.sourceFile()), rows, statements(p));
    }

    /** The number of devices the platform lists (the catalog index shows it). */
    public int deviceCount() {
        return devices.size();
    }

    static String fileName(String path) {
        return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    }

    /** "an" before a device name read as a word starting with a vowel (input, iommu, i2c), else "a". */
    static String article(String name) {
        return !name.isEmpty() && "aeiou".indexOf(Character.toLowerCase(name.charAt(0))) >= 0 ? "an" : "a";
    }

    private static PlatformDeviceRow row(DeviceEntry d, String page) {
        List<String> must = new ArrayList<>();
        List<String> mustNot = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        List<String> config = new ArrayList<>();
        List<String> queues = new ArrayList<>();
        List<String> queueSize = new ArrayList<>();
        for (Demand x : d.demands()) {
            String tagged = " (" + x.keyword() + ")";
            switch (x.kind()) {
                case OFFER -> {
                    String f = x.feature().name();
                    if (x.level() != Level.MUST) {
                        optional.add(f + tagged);
                    } else if (x.negated()) {
                        mustNot.add(f);
                    } else {
                        must.add(f);
                    }
                }
                case CONFIG -> config.add(x.field().path() + " " + x.op().symbol() + " " + x.value() + tagged);
                case QUEUES -> queues.add(x.op().symbol() + " " + x.value() + tagged);
                case QUEUE_SIZE -> queueSize.add(x.op().symbol() + " " + x.value() + tagged);
            }
        }
        return new PlatformDeviceRow(d.device().name(), page, d.device().id(), d.level().name(), must, mustNot,
                optional, config, queues, queueSize);
    }

    /**
     * The statements in the model's order. The model's statement text carries the keyword for demands
     * and requirements but not for presence and transport, and says "a input", so each sentence is
     * built from the element the statement came from, found by its ID.
     */
    private static List<PlatformStatementRow> statements(PlatformModel p) {
        Map<String, DeviceEntry> present = new HashMap<>();
        Map<String, Demand> demands = new HashMap<>();
        Map<String, Rule> rules = new HashMap<>();
        for (DeviceEntry d : p.devices()) {
            present.put(d.presenceId(), d);
            d.demands().forEach(x -> demands.put(x.id(), x));
        }
        p.rules().forEach(r -> rules.put(r.id(), r));
        Map<String, PlatformObservation> observed = PlatformObservation.byStatement(p);
        List<PlatformStatementRow> out = new ArrayList<>();
        for (Statement s : p.statements()) {
            String id = s.id();
            String keyword;
            String sentence;
            String doc;
            if (present.containsKey(id)) {
                DeviceModel d = present.get(id).device();
                keyword = s.level().name();
                sentence = "The platform " + keyword + " provide " + article(d.name()) + " " + d.name() + " device (ID "
                        + d.id() + ")";
                doc = present.get(id).doc();
            } else if (demands.containsKey(id)) {
                Demand x = demands.get(id);
                keyword = x.keyword();
                sentence = s.device() + " " + x.text();
                doc = x.doc();
            } else if (rules.containsKey(id)) {
                Rule r = rules.get(id);
                keyword = r.negated() ? r.level() + " NOT" : r.level().name();
                sentence = "The platform " + r.text();
                doc = r.doc();
            } else {
                keyword = s.level().name();
                sentence = "The platform " + keyword + " " + s.text();
                doc = null;
            }
            PlatformObservation o = observed.get(id);
            // Requirements are written as sentences; the other statements get their full stop here.
            out.add(new PlatformStatementRow(id, keyword, sentence.endsWith(".") ? sentence : sentence + ".",
                    Prose.oneLine(doc), o == null ? "unstated" : o.text()));
        }
        return out;
    }
}
