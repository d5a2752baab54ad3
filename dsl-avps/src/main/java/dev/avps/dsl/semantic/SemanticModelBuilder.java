package dev.avps.dsl.semantic;

import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureSet;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.Platform;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.QueueEntry;
import dev.avps.dsl.avps.QueueGroup;
import dev.avps.dsl.avps.Queues;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.layout.Expressions;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureExpr;
import dev.avps.model.FeatureModel;
import dev.avps.model.PlatformModel;
import dev.avps.model.QueueModel;
import dev.avps.model.RequestModel;
import dev.avps.model.RequirementModel;
import dev.avps.model.ScalarType;
import dev.avps.model.SpecModel;
import dev.avps.model.StructLayout;
import dev.avps.model.ValueExpr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.eclipse.emf.ecore.EObject;

/**
 * Builds the syntax-free {@link SpecModel} from parsed, linked .avps files. Layout comes from the
 * {@link LayoutEngine}; queue indexes are derived here from declaration order, so templates never
 * compute anything.
 */
public final class SemanticModelBuilder {

    private final Function<EObject, String> docs;
    private final LayoutEngine layout;

    public SemanticModelBuilder(Function<EObject, String> docs) {
        this.docs = docs;
        this.layout = new LayoutEngine(docs);
    }

    public SpecModel build(List<Model> models) {
        List<DeviceModel> devices = new ArrayList<>();
        List<FeatureModel> transport = new ArrayList<>();
        List<StructLayout> structs = new ArrayList<>();
        List<EnumModel> enums = new ArrayList<>();
        List<ConstantModel> constants = new ArrayList<>();
        List<RequirementModel> requirements = new ArrayList<>();
        Map<String, String> packages = new HashMap<>();
        // A device a loaded proposal extends is generated once, as the proposal grows it.
        Map<Device, DeviceModel> grown = new java.util.LinkedHashMap<>();
        Map<DeviceModel, Device> declared = new java.util.IdentityHashMap<>();
        Map<Device, DeviceModel> built = new java.util.IdentityHashMap<>();
        List<Map.Entry<Model, Platform>> platforms = new ArrayList<>();
        for (Model m : models) {
            for (Element e : m.getElements()) {
                if (e instanceof Device d) {
                    DeviceModel dm = device(m, d);
                    declared.put(dm, d);
                    built.put(d, dm);
                    devices.add(dm);
                } else if (e instanceof DeviceExtension x && x.getBase() != null && !x.getBase().eIsProxy()) {
                    grown.put(x.getBase(), new DeviceGrowth(this, layout, docs).grow(m, x));
                } else if (e instanceof FeatureSet fs) {
                    fs.getFeatures().forEach(f -> transport.add(feature(fs.getName(), f)));
                } else if (e instanceof Struct s) {
                    structs.add(layout.layout(s));
                    packages.putIfAbsent(s.getName(), m.getName() == null ? "" : m.getName());
                } else if (e instanceof Enum en) {
                    enums.add(enumModel(en));
                    packages.putIfAbsent(en.getName(), m.getName() == null ? "" : m.getName());
                } else if (e instanceof Constant c) {
                    constants.add(constant(c));
                    packages.putIfAbsent(c.getName(), m.getName() == null ? "" : m.getName());
                } else if (e instanceof Requirement r) {
                    requirements.add(requirement(r));
                } else if (e instanceof Platform p) {
                    platforms.add(Map.entry(m, p));
                }
            }
        }
        devices.removeIf(dm -> grown.containsKey(declared.get(dm)));
        devices.addAll(grown.values());
        // After every device is built: a platform sees each device as the loaded proposals grew it.
        Platforms platformBuilder = new Platforms(this, docs, d -> grown.getOrDefault(d, built.get(d)), transport);
        List<PlatformModel> platformModels = platforms.stream().map(e -> platformBuilder.build(e.getKey(), e.getValue()))
                .toList();
        return new SpecModel(devices, transport, structs, enums, constants, packages, requirements, platformModels);
    }

    public DeviceModel device(Model m, Device d) {
        List<FeatureModel> features = new ArrayList<>();
        StructLayout config = null;
        List<StructLayout> structs = new ArrayList<>();
        List<EnumModel> enums = new ArrayList<>();
        List<ConstantModel> constants = new ArrayList<>();
        List<QueueModel> queues = new ArrayList<>();
        List<RequestModel> requests = new ArrayList<>();
        List<Requirement> requirements = new ArrayList<>();
        for (Element e : d.getMembers()) {
            if (e instanceof DeviceFeatures df) {
                df.getFeatures().forEach(f -> features.add(feature(d.getName(), f)));
            } else if (e instanceof Struct s) {
                StructLayout l = layout.layout(s);
                if (s.isConfig() && config == null) {
                    config = l;
                } else {
                    structs.add(l);
                }
            } else if (e instanceof Enum en) {
                enums.add(enumModel(en));
            } else if (e instanceof Constant c) {
                constants.add(constant(c));
            } else if (e instanceof Queues q) {
                queues.addAll(queues(q));
            } else if (e instanceof Request r) {
                requests.add(request(r));
            } else if (e instanceof Requirement r) {
                requirements.add(r);
            }
        }
        // After the loop: an expectation reads the config layout wherever the config is declared.
        StructLayout configLayout = config;
        List<RequirementModel> requirementModels = requirements.stream().map(r -> requirement(r, configLayout)).toList();
        DeviceModel.Status status = DeviceModel.Status.valueOf(d.getStatus().getName().toUpperCase(java.util.Locale.ROOT));
        int id = d.getDeviceId() == null ? -1 : d.getDeviceId().intValue();
        String file = d.eResource() == null ? null : d.eResource().getURI().toString();
        return new DeviceModel(m.getName(), d.getName(), id, d.getSpecVersion(), status,
                d.getCName() != null ? d.getCName() : "virtio_" + d.getName(), docs.apply(d), file, features, config,
                structs, enums, constants, queues, Selectors.derive(requests, enums), requirementModels);
    }

    FeatureModel feature(String owner, Feature f) {
        return new FeatureModel(owner, f.getName(), f.getBit(), docs.apply(f), f.isLegacy(), f.isDeprecated(),
                List.copyOf(f.getAliases()), f.getCName(), Expressions.condition(f.getRequires()));
    }

    EnumModel enumModel(Enum e) {
        List<EnumModel.Literal> literals = new ArrayList<>();
        for (EnumLiteral l : e.getLiterals()) {
            literals.add(new EnumModel.Literal(l.getName(), l.getValue(), docs.apply(l)));
        }
        return new EnumModel(e.getName(), e.getCName() != null ? e.getCName() : e.getName(), docs.apply(e),
                ScalarType.ofKeyword(e.getType().getLiteral()), literals);
    }

    ConstantModel constant(Constant c) {
        return new ConstantModel(c.getName(), ScalarType.ofKeyword(c.getType().getLiteral()), c.getValue(), docs.apply(c));
    }

    /**
     * Queue indexes follow declaration order: each entry starts where the previous ones end, an
     * absent (feature-gated) entry taking no index.
     */
    List<QueueModel> queues(Queues qs) {
        return queues(qs.getEntries());
    }

    /** Queues of several blocks in order (a device's, then a proposal's): indexes continue. */
    List<QueueModel> queues(List<QueueEntry> entries) {
        List<QueueModel> out = new ArrayList<>();
        ValueExpr next = ValueExpr.of(0);
        for (QueueEntry entry : entries) {
            if (entry instanceof Queue q) {
                ValueExpr count = q.getCount() == null ? ValueExpr.of(1) : Expressions.value(q.getCount());
                FeatureExpr cond = Expressions.condition(q.getCondition());
                ValueExpr first = q.getIndex() != null ? Expressions.value(q.getIndex()) : next;
                out.add(new QueueModel(q.getName(), docs.apply(q), direction(q), count, cond, first, 1, null));
                next = plus(first, present(count, cond));
            } else if (entry instanceof QueueGroup g) {
                ValueExpr count = g.getCount() == null ? ValueExpr.of(1) : Expressions.value(g.getCount());
                FeatureExpr cond = Expressions.condition(g.getCondition());
                int members = g.getQueues().size();
                for (int i = 0; i < members; i++) {
                    Queue q = g.getQueues().get(i);
                    FeatureExpr qc = cond == null ? Expressions.condition(q.getCondition()) : cond;
                    out.add(new QueueModel(q.getName(), docs.apply(q), direction(q), count, qc, plus(next, ValueExpr.of(i)),
                            members, g.getName()));
                }
                next = plus(next, times(present(count, cond), members));
            }
        }
        return out;
    }

    private static QueueModel.Direction direction(Queue q) {
        return q.getDirection() == dev.avps.dsl.avps.Direction.TO_DRIVER
                ? QueueModel.Direction.DEVICE_TO_DRIVER : QueueModel.Direction.DRIVER_TO_DEVICE;
    }

    private static ValueExpr present(ValueExpr count, FeatureExpr cond) {
        ValueExpr c = Objects.requireNonNullElse(count, ValueExpr.of(0));
        return cond == null ? c : new ValueExpr.If(cond, c, ValueExpr.of(0));
    }

    private static ValueExpr plus(ValueExpr a, ValueExpr b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a.constantValue().isPresent() && b.constantValue().isPresent()) {
            return ValueExpr.of(a.constantValue().getAsLong() + b.constantValue().getAsLong());
        }
        if (a.constantValue().isPresent() && a.constantValue().getAsLong() == 0) {
            return b;
        }
        return new ValueExpr.Binary(a, '+', b);
    }

    private static ValueExpr times(ValueExpr a, int k) {
        if (k == 1) {
            return a;
        }
        if (a.constantValue().isPresent()) {
            return ValueExpr.of(a.constantValue().getAsLong() * k);
        }
        return new ValueExpr.Binary(a, '*', ValueExpr.of(k));
    }

    RequestModel request(Request r) {
        List<String> path = Selectors.path(r.getDiscriminator());
        List<BigInteger> values = new ArrayList<>();
        r.getValues().forEach(v -> {
            BigInteger c = Expressions.constant(v);
            if (c != null) {
                values.add(c);
            }
        });
        String queue = r.getQueue() == null || r.getQueue().eIsProxy() ? null : r.getQueue().getName();
        return new RequestModel(r.getName(), docs.apply(r), queue, path, r.getMask(), values, layout.readablePart(r),
                layout.writablePart(r));
    }

    /** A requirement outside a device (a rule every device honours): no config to expect anything of. */
    static RequirementModel requirement(Requirement r) {
        return requirement(r, null);
    }

    /** A requirement of a device whose config layout is {@code config} (null when it has none). */
    static RequirementModel requirement(Requirement r, StructLayout config) {
        String target = null;
        if (r.getTarget() != null && !r.getTarget().eIsProxy()) {
            EObject t = r.getTarget();
            Object name = t.eGet(t.eClass().getEStructuralFeature("name"));
            target = name == null ? null : name.toString();
        }
        return new RequirementModel(r.getName(),
                RequirementModel.Party.valueOf(r.getParty().getName().toUpperCase(java.util.Locale.ROOT)),
                RequirementModel.Level.valueOf(r.getLevel().getName()), r.isNegated(), target, r.getText(),
                r.getSection(), r.getChecks().stream().map(c -> c.getName()).toList(),
                r.isNotCheckable() ? r.getReason() : null, Expectations.of(r, config));
    }
}
