package dev.avps.generator.docs;

import dev.avps.generator.c.CDialect;
import dev.avps.generator.c.CNames;
import dev.avps.generator.layout.LayoutRows;
import dev.avps.generator.text.Prose;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A device as the documentation targets present it: prose normalised, tables flattened, queue
 * index rules and request selectors in words. The Markdown, LaTeX and HTML templates all print
 * this view, each in its own syntax.
 *
 * @param title        e.g. "virtio-blk" style heading text: the device name with its C name
 * @param structs      the config first (if any), then the device's structs in declaration order
 * @param initialization what a driver may read once it has negotiated a feature, in words
 */
public record DeviceDocView(String name, String cName, String title, int id, String idMacro, String specVersion,
        String status, String doc, List<String> paragraphs, List<FeatureRow> features, List<QueueRow> queues,
        List<StructView> structs, List<RequestView> requests, List<RequirementModel> driverRequirements,
        List<RequirementModel> deviceRequirements, List<String> initialization, String source,
        java.util.Set<String> added) {

    /** Whether a proposal ({@code extend device}) added the element: see {@link DeviceModel#adds}. */
    public boolean adds(String kind, String elementName) {
        return added.contains(kind + ":" + elementName);
    }

    /** Whether the page shows a device grown by a proposal. */
    public boolean extended() {
        return !added.isEmpty();
    }

    public static DeviceDocView of(DeviceModel d, String source) {
        CNames names = new CNames(CDialect.LINUX);
        List<FeatureRow> features = new ArrayList<>();
        d.features().stream().sorted(Comparator.comparingInt(FeatureModel::bit)).forEach(f -> features.add(
                new FeatureRow(f.bit(), f.name(), names.featureMacro(d, f), f.aliases(), Prose.oneLine(f.doc()),
                        f.requires() == null ? "" : f.requires().render(), f.legacy(), f.deprecated())));
        List<QueueRow> queues = new ArrayList<>();
        for (QueueModel q : d.queues()) {
            queues.add(new QueueRow(q.name(), Prose.oneLine(q.doc()), direction(q.direction()), QueueIndexRule.indexes(q),
                    q.count().render(), q.condition() == null ? "" : q.condition().render(),
                    q.group() == null ? "" : q.group()));
        }
        List<StructView> structs = new ArrayList<>();
        // The config listing marks the fields a proposal appends (the LaTeX chapter shows only listings).
        d.configOpt().ifPresent(c -> structs.add(struct(c, SpecListing.struct(c, n -> d.adds("config", n)))));
        d.structs().forEach(s -> structs.add(struct(s, SpecListing.struct(s))));
        List<RequestView> requests = new ArrayList<>();
        for (RequestModel r : d.requests()) {
            requests.add(new RequestView(r.name(), Prose.oneLine(r.doc()), r.queue(), RequestSelector.describe(d, r),
                    LayoutRows.of(r.readable()), LayoutRows.of(r.writable()), SpecListing.fieldLines(r.readable()),
                    SpecListing.fieldLines(r.writable())));
        }
        String status = d.status().name().toLowerCase(Locale.ROOT);
        return new DeviceDocView(d.name(), d.cName(), d.cName().replace('_', '-'), d.id(),
                names.deviceIdMacro(d), d.specVersion() == null ? "" : d.specVersion(), status, Prose.oneLine(d.doc()),
                Prose.paragraphs(d.doc()), features, queues, structs, requests,
                d.requirements().stream().filter(r -> r.party() == RequirementModel.Party.DRIVER).toList(),
                d.requirements().stream().filter(r -> r.party() == RequirementModel.Party.DEVICE).toList(),
                ConfigConditions.sentences(d), source, d.added());
    }

    static StructView struct(StructLayout s, String listing) {
        String size = s.variable() ? "at least " + s.size() + " bytes" : s.size() + " bytes";
        if (!s.variable() && s.minSize() != s.size()) {
            size += " (" + s.minSize() + " without feature-dependent fields)";
        }
        return new StructView(s.name(), s.cName(), Prose.oneLine(s.doc()), s.config(), size, s.size(),
                LayoutRows.flattened(s), ByteDiagram.of(s), listing);
    }

    static String direction(QueueModel.Direction d) {
        return d == QueueModel.Direction.DRIVER_TO_DEVICE ? "driver to device" : "device to driver";
    }

    /** Whether the device has a configuration layout (then it is the first of {@code structs}). */
    public boolean hasConfig() {
        return !structs.isEmpty() && structs.get(0).config();
    }

    /** Device requirements a conformance run tests through named checks. */
    public int checkableDeviceRequirements() {
        return new RequirementTable(deviceRequirements).checkable();
    }

    /** The count line printed above the device requirements: "Modeled N device requirements; checkable K." */
    public String requirementCountLine() {
        return new RequirementTable(deviceRequirements).countLine();
    }

    /** Number of feature bits, legacy ones included (the catalog index shows it). */
    public int featureCount() {
        return features.size();
    }
}
