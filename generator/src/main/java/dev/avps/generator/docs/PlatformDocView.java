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

    /** The statements in the model's order, each as the model words it, with how it is checked. */
    private static List<PlatformStatementRow> statements(PlatformModel p) {
        Map<String, PlatformObservation> observed = PlatformObservation.byStatement(p);
        List<PlatformStatementRow> out = new ArrayList<>();
        for (Statement s : p.statements()) {
            String id = s.id();
            String sentence = s.sentence();
            String doc = s.doc();
            PlatformObservation o = observed.get(id);
            // Requirements are written as sentences; the other statements get their full stop here.
            out.add(new PlatformStatementRow(id, s.keyword(), sentence.endsWith(".") ? sentence : sentence + ".",
                    Prose.oneLine(doc), o == null ? "unstated" : o.text()));
        }
        return out;
    }
}
