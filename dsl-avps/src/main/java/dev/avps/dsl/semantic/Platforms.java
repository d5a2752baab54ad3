package dev.avps.dsl.semantic;

import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.Demand;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureSet;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.Platform;
import dev.avps.dsl.avps.PlatformDevice;
import dev.avps.dsl.avps.PlatformMember;
import dev.avps.dsl.avps.PlatformRequirement;
import dev.avps.model.DeviceModel;
import dev.avps.model.Expectation.Comparison;
import dev.avps.model.Expectation.ConfigRead;
import dev.avps.model.FeatureModel;
import dev.avps.model.PlatformModel;
import dev.avps.model.RequirementModel.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/**
 * Platforms in the semantic model: each listed device resolved to its built {@link DeviceModel}
 * (grown by any loaded proposal), each demanded feature to its bit, each config field to its
 * bytes, and every statement given its ID. What does not resolve (the validator has said why) is
 * left out.
 */
final class Platforms {

    private final Function<EObject, String> docs;
    private final Function<Device, DeviceModel> devices;
    private final List<FeatureModel> transport;
    private final SemanticModelBuilder builder;

    Platforms(SemanticModelBuilder builder, Function<EObject, String> docs, Function<Device, DeviceModel> devices,
            List<FeatureModel> transport) {
        this.builder = builder;
        this.docs = docs;
        this.devices = devices;
        this.transport = transport;
    }

    PlatformModel build(Model m, Platform p) {
        List<PlatformModel.DeviceEntry> entries = new ArrayList<>();
        List<PlatformModel.Rule> rules = new ArrayList<>();
        for (PlatformMember member : p.getMembers()) {
            if (member instanceof PlatformDevice pd && pd.getDevice() != null && !pd.getDevice().eIsProxy()) {
                DeviceModel d = devices.apply(pd.getDevice());
                if (d != null) {
                    entries.add(new PlatformModel.DeviceEntry(d, level(pd.getLevel()), docs.apply(pd),
                            pd.getDemands().stream().map(x -> demand(d, x)).filter(x -> x != null).toList()));
                }
            } else if (member instanceof PlatformRequirement r && r.getName() != null) {
                rules.add(new PlatformModel.Rule(r.getName(), level(r.getLevel()), r.isNegated(), r.getText(),
                        r.getChecks().stream().map(c -> c.getName()).toList(), r.isNotCheckable() ? r.getReason() : null,
                        docs.apply(r)));
            }
        }
        DeviceModel.Status status = DeviceModel.Status.valueOf(p.getStatus().getName().toUpperCase(Locale.ROOT));
        String file = p.eResource() == null ? null : p.eResource().getURI().toString();
        return new PlatformModel(m.getName(), p.getName(), p.getVersion(), status, p.getTransports(), docs.apply(p), file,
                entries, rules);
    }

    private PlatformModel.Demand demand(DeviceModel d, Demand x) {
        Level level = level(x.getLevel());
        String doc = docs.apply(x);
        String kind = x.getKind();
        if ("offer".equals(kind)) {
            FeatureModel f = feature(d, x.getFeature());
            return f == null ? null : new PlatformModel.Demand(d.name() + ".offer." + f.name(),
                    PlatformModel.Demand.Kind.OFFER, level, x.isNegated(), f, null, null, null, doc);
        }
        if (x.getOp() == null || x.getValue() == null) {
            return null;
        }
        Comparison op = Comparison.valueOf(x.getOp().getName().toUpperCase(Locale.ROOT));
        if ("config".equals(kind)) {
            ConfigRead field = Expectations.read(fieldPath(x), d.config());
            return field == null ? null : new PlatformModel.Demand(d.name() + ".config." + field.path(),
                    PlatformModel.Demand.Kind.CONFIG, level, false, null, field, op, x.getValue(), doc);
        }
        boolean queues = "queues".equals(kind);
        return new PlatformModel.Demand(d.name() + (queues ? ".queues" : ".queue_size"),
                queues ? PlatformModel.Demand.Kind.QUEUES : PlatformModel.Demand.Kind.QUEUE_SIZE, level, false, null,
                null, op, x.getValue(), doc);
    }

    /**
     * The built feature with this bit: the device's own first, then the transport's; a transport
     * bit from the prelude (which the model lists only when it was loaded) is built here.
     */
    private FeatureModel feature(DeviceModel d, Feature f) {
        if (f == null || f.eIsProxy()) {
            return null;
        }
        for (FeatureModel m : d.features()) {
            if (m.bit() == f.getBit() && m.name().equals(f.getName())) {
                return m;
            }
        }
        for (FeatureModel m : transport) {
            if (m.bit() == f.getBit() && m.name().equals(f.getName())) {
                return m;
            }
        }
        return f.eContainer() instanceof FeatureSet fs ? builder.feature(fs.getName(), f) : null;
    }

    private static String fieldPath(Demand x) {
        List<INode> nodes = NodeModelUtils.findNodesForFeature(x, AvpsPackage.Literals.DEMAND__FIELD);
        if (nodes.isEmpty()) {
            return x.getField() == null || x.getField().eIsProxy() ? null : x.getField().getName();
        }
        return NodeModelUtils.getTokenText(nodes.get(0)).replace(" ", "");
    }

    private static Level level(dev.avps.dsl.avps.Level l) {
        return Level.valueOf(l.getName());
    }
}
