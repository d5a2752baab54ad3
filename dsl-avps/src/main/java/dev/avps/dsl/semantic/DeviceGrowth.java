package dev.avps.dsl.semantic;

import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.QueueEntry;
import dev.avps.dsl.avps.Queues;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.StructLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.emf.ecore.EObject;

/**
 * The device a proposal describes with {@code extend device}: the base device's elements in their
 * order, then the proposal's, merged where the language says so (config fields appended to the
 * base's config, values appended to the base's enum of the same name, queues indexed after the
 * base's), with every added element recorded in {@link DeviceModel#added()} for the documents.
 * The validator has already refused collisions.
 */
final class DeviceGrowth {

    private final SemanticModelBuilder builder;
    private final LayoutEngine layout;
    private final Function<EObject, String> docs;
    private final Set<String> added = new LinkedHashSet<>();

    DeviceGrowth(SemanticModelBuilder builder, LayoutEngine layout, Function<EObject, String> docs) {
        this.builder = builder;
        this.layout = layout;
        this.docs = docs;
    }

    DeviceModel grow(Model m, DeviceExtension x) {
        Device d = x.getBase();
        List<FeatureModel> features = new ArrayList<>();
        Struct configStruct = null;
        StructLayout config = null;
        List<StructLayout> structs = new ArrayList<>();
        List<EnumModel> enums = new ArrayList<>();
        List<ConstantModel> constants = new ArrayList<>();
        List<QueueEntry> queueEntries = new ArrayList<>();
        Set<String> baseQueues = new LinkedHashSet<>();
        List<RequestModel> requests = new ArrayList<>();
        List<Requirement> requirementDecls = new ArrayList<>();
        List<Element> all = new ArrayList<>(d.getMembers());
        int baseCount = all.size();
        all.addAll(x.getMembers());
        for (int i = 0; i < all.size(); i++) {
            Element e = all.get(i);
            boolean proposed = i >= baseCount;
            if (e instanceof DeviceFeatures df) {
                df.getFeatures().forEach(f -> {
                    features.add(builder.feature(d.getName(), f));
                    mark(proposed, "feature", f.getName());
                });
            } else if (e instanceof Struct s && s.isConfig()) {
                if (configStruct == null) {
                    configStruct = s;
                    config = layout.layout(s);
                    s.getMembers().forEach(f -> mark(proposed, "config", f.getName()));
                } else {
                    // The proposal's config fields go after every field of the base's config.
                    config = layout.extendedConfig(configStruct, s.getMembers());
                    s.getMembers().forEach(f -> mark(true, "config", f.getName()));
                }
            } else if (e instanceof Struct s) {
                structs.add(layout.layout(s));
                mark(proposed, "struct", s.getName());
            } else if (e instanceof Enum en) {
                EnumModel model = builder.enumModel(en);
                model.literals().forEach(l -> mark(proposed, "literal", l.name()));
                int same = indexOf(enums, en.getName());
                if (same >= 0 && proposed) {
                    EnumModel base = enums.get(same);
                    List<EnumModel.Literal> lits = new ArrayList<>(base.literals());
                    lits.addAll(model.literals());
                    enums.set(same, new EnumModel(base.name(), base.cName(), base.doc(), base.type(), lits));
                } else {
                    enums.add(model);
                    mark(proposed, "enum", en.getName());
                }
            } else if (e instanceof Constant c) {
                constants.add(builder.constant(c));
                mark(proposed, "constant", c.getName());
            } else if (e instanceof Queues q) {
                queueEntries.addAll(q.getEntries());
            } else if (e instanceof Request r) {
                requests.add(builder.request(r));
                mark(proposed, "request", r.getName());
            } else if (e instanceof Requirement r) {
                requirementDecls.add(r);
                mark(proposed, "requirement", r.getName());
            }
            if (!proposed && e instanceof Queues q) {
                dev.avps.dsl.scoping.AvpsScopeProvider.queuesIn(List.of(q)).forEach(qu -> baseQueues.add(qu.getName()));
            }
        }
        // Expectations read the merged config: a proposal's requirement may bound a field it adds.
        StructLayout merged = config;
        List<RequirementModel> requirements = requirementDecls.stream()
                .map(r -> SemanticModelBuilder.requirement(r, merged)).toList();
        List<QueueModel> queues = builder.queues(queueEntries);
        queues.forEach(q -> mark(!baseQueues.contains(q.name()), "queue", q.name()));
        String doc = docs.apply(d);
        String proposal = docs.apply(x);
        if (proposal != null && !proposal.isBlank()) {
            doc = (doc == null ? "" : doc + "\n\n") + "Proposed: " + proposal;
        }
        String file = x.eResource() == null ? null : x.eResource().getURI().toString();
        int id = d.getDeviceId() == null ? -1 : d.getDeviceId().intValue();
        return new DeviceModel(m.getName(), d.getName(), id, d.getSpecVersion(), DeviceModel.Status.PROPOSAL,
                d.getCName() != null ? d.getCName() : "virtio_" + d.getName(), doc, file, features, config, structs,
                enums, constants, queues, Selectors.derive(requests, enums), requirements, Set.copyOf(added));
    }

    private void mark(boolean proposed, String kind, String name) {
        if (proposed && name != null) {
            added.add(kind + ":" + name);
        }
    }

    private static int indexOf(List<EnumModel> enums, String name) {
        for (int i = 0; i < enums.size(); i++) {
            if (enums.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
