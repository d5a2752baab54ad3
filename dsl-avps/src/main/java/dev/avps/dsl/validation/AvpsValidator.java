package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import com.google.inject.Inject;
import dev.avps.dsl.avps.BitField;
import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Expression;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureRef;
import dev.avps.dsl.avps.FeatureSet;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.FieldPath;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.NamedType;
import dev.avps.dsl.avps.PrimitiveType;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.QueueGroup;
import dev.avps.dsl.avps.Queues;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.avps.UnionCase;
import dev.avps.dsl.avps.ValueRef;
import dev.avps.dsl.index.AvpsResourceDescriptionStrategy;
import dev.avps.dsl.layout.Expressions;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.dsl.layout.LayoutProblem;
import dev.avps.model.ScalarType;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsProvider;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.CheckType;
import org.eclipse.xtext.validation.ComposedChecks;

/**
 * The rules a spec must follow beyond its syntax. Every rule carries an issue code from
 * {@link IssueCodes}; layout rules come from the {@link LayoutEngine} so that the validator and
 * the generator agree on every offset.
 */
@ComposedChecks(validators = {ConfigAccessValidator.class, ExtensionValidator.class})
public class AvpsValidator extends AbstractAvpsValidator {

    /** Device-specific feature bits: 0..23 and 50..127 (VIRTIO 1.4, "Feature Bits"). */
    static boolean isDeviceBit(int bit) {
        return (bit >= 0 && bit <= 23) || (bit >= 50 && bit <= 127);
    }

    /** Bits the spec reserves for the transport and the queue layouts. */
    static boolean isTransportBit(int bit) {
        return bit >= 24 && bit <= 41;
    }

    @Inject
    private IEObjectDocumentationProvider documentation;

    @Inject
    private ResourceDescriptionsProvider indexProvider;

    @Inject
    private IQualifiedNameProvider names;

    // ------------------------------------------------------------------ placement

    @Check
    public void checkPlacement(Element e) {
        boolean inDevice = e.eContainer() instanceof Device || e.eContainer() instanceof dev.avps.dsl.avps.DeviceExtension;
        if (inDevice && (e instanceof Device || e instanceof FeatureSet)) {
            error(kind(e) + " cannot be declared inside a device", e, null, IssueCodes.MISPLACED);
        }
        if (!inDevice && (e instanceof DeviceFeatures || e instanceof Queues || e instanceof Request)) {
            error(kind(e) + " belongs inside a device", e, null, IssueCodes.MISPLACED);
        }
        if (!inDevice && e instanceof Struct s && s.isConfig()) {
            error("a config layout belongs inside a device", e, STRUCT__CONFIG, IssueCodes.MISPLACED);
        }
    }

    private static String kind(EObject e) {
        return switch (e.eClass().getName()) {
            case "DeviceFeatures" -> "a feature block";
            case "FeatureSet" -> "a transport feature set";
            case "Queues" -> "a queue block";
            case "Request" -> "a request";
            default -> "a device";
        };
    }

    @Check
    public void checkSingleBlocks(Device d) {
        int features = 0;
        int configs = 0;
        int queues = 0;
        for (Element e : d.getMembers()) {
            if (e instanceof DeviceFeatures && ++features > 1) {
                error("device '" + d.getName() + "' already has a features block", e, null, IssueCodes.DUPLICATE_BLOCK);
            } else if (e instanceof Struct s && s.isConfig() && ++configs > 1) {
                error("device '" + d.getName() + "' already has a config layout", e, STRUCT__NAME,
                        IssueCodes.DUPLICATE_BLOCK);
            } else if (e instanceof Queues && ++queues > 1) {
                error("device '" + d.getName() + "' already has a queues block", e, null, IssueCodes.DUPLICATE_BLOCK);
            }
        }
    }

    // ------------------------------------------------------------------ devices

    @Check
    public void checkDeviceId(Device d) {
        BigInteger id = d.getDeviceId();
        if (id == null) {
            return;
        }
        if (id.signum() < 0 || id.compareTo(BigInteger.valueOf(0xFFFF)) > 0) {
            error("device ID " + id + " does not fit the 16-bit device ID field", d, DEVICE__DEVICE_ID,
                    IssueCodes.DEVICE_ID_RANGE);
            return;
        }
        QualifiedName self = names.getFullyQualifiedName(d);
        IResourceDescriptions index = indexProvider.getResourceDescriptions(d.eResource());
        for (IEObjectDescription other : index.getExportedObjectsByType(DEVICE)) {
            String otherId = other.getUserData(AvpsResourceDescriptionStrategy.DEVICE_ID);
            if (id.toString().equals(otherId) && !other.getQualifiedName().equals(self)) {
                error("device ID " + id + " is already used by device '" + other.getQualifiedName() + "'", d,
                        DEVICE__DEVICE_ID, IssueCodes.DUPLICATE_DEVICE_ID);
                return;
            }
        }
    }

    // ------------------------------------------------------------------ features

    @Check
    public void checkFeatureBits(DeviceFeatures block) {
        checkBits(block.getFeatures(), false);
    }

    @Check
    public void checkTransportBits(FeatureSet set) {
        checkBits(set.getFeatures(), true);
    }

    private void checkBits(List<Feature> features, boolean transport) {
        Map<Integer, Feature> byBit = new HashMap<>();
        Map<String, EObject> byName = new HashMap<>();
        features.forEach(f -> byName.put(f.getName(), f));
        for (Feature f : features) {
            int bit = f.getBit();
            if (bit > 127) {
                error("feature bit " + bit + " is beyond 127; higher bits are reserved for future extensions", f,
                        FEATURE__BIT, IssueCodes.BIT_OUT_OF_RANGE);
            } else if (transport && !isTransportBit(bit)) {
                error("transport feature bit " + bit + " lies outside the transport range 24..41", f, FEATURE__BIT,
                        IssueCodes.BIT_OUT_OF_RANGE);
            } else if (!transport && !isDeviceBit(bit) && !(f.isLegacy() && bit < 64)) {
                error("feature bit " + bit + " is reserved: device types use bits 0..23 and 50..127"
                        + " (only legacy bits kept for compatibility may sit elsewhere)", f, FEATURE__BIT,
                        IssueCodes.BIT_OUT_OF_RANGE);
            }
            Feature first = byBit.putIfAbsent(bit, f);
            if (first != null) {
                error("bit " + bit + " is already taken by feature '" + first.getName()
                        + "'; declare another name for the same bit with 'alias'", f, FEATURE__BIT,
                        IssueCodes.DUPLICATE_BIT);
            }
            for (int i = 0; i < f.getAliases().size(); i++) {
                String alias = f.getAliases().get(i);
                EObject clash = byName.putIfAbsent(alias, f);
                if (clash != null) {
                    error("alias '" + alias + "' is already the name of a feature", f, FEATURE__ALIASES, i,
                            IssueCodes.DUPLICATE_ALIAS);
                }
            }
        }
    }

    @Check
    public void checkFeatureCycle(Feature f) {
        List<String> path = cycleThrough(f);
        if (path != null) {
            error("feature '" + f.getName() + "' depends on itself: " + String.join(" -> ", path), f, FEATURE__REQUIRES,
                    IssueCodes.FEATURE_CYCLE);
        }
    }

    /** The chain of requirements leading from f back to f, or null. */
    private static List<String> cycleThrough(Feature start) {
        Deque<List<Feature>> work = new ArrayDeque<>();
        Set<Feature> seen = new HashSet<>();
        work.add(List.of(start));
        while (!work.isEmpty()) {
            List<Feature> path = work.poll();
            Feature last = path.get(path.size() - 1);
            for (Feature next : requiredBy(last)) {
                if (next == start) {
                    List<String> names = new ArrayList<>();
                    path.forEach(p -> names.add(p.getName()));
                    names.add(start.getName());
                    return names;
                }
                if (seen.add(next)) {
                    List<Feature> longer = new ArrayList<>(path);
                    longer.add(next);
                    work.add(longer);
                }
            }
        }
        return null;
    }

    private static List<Feature> requiredBy(Feature f) {
        List<Feature> out = new ArrayList<>();
        if (f.getRequires() != null) {
            for (FeatureRef r : EcoreUtil2.eAllOfType(f.getRequires(), FeatureRef.class)) {
                if (r.getFeature() != null && !r.getFeature().eIsProxy()) {
                    out.add(r.getFeature());
                }
            }
            if (f.getRequires() instanceof FeatureRef r && r.getFeature() != null && !r.getFeature().eIsProxy()) {
                out.add(r.getFeature());
            }
        }
        return out;
    }

    /** A condition inside a device may name its own features and transport ones, never another device's. */
    @Check
    public void checkForeignFeature(FeatureRef ref) {
        Device device = EcoreUtil2.getContainerOfType(ref, Device.class);
        Feature f = ref.getFeature();
        if (device == null || f == null || f.eIsProxy()) {
            return;
        }
        Device owner = EcoreUtil2.getContainerOfType(f, Device.class);
        if (owner != null && owner != device) {
            error("feature '" + f.getName() + "' belongs to device '" + owner.getName() + "', not to '"
                    + device.getName() + "'", ref, FEATURE_REF__FEATURE, IssueCodes.FOREIGN_FEATURE);
        }
    }

    // ------------------------------------------------------------------ enums and constants

    @Check
    public void checkEnum(Enum e) {
        ScalarType type = ScalarType.ofKeyword(e.getType().getLiteral());
        Map<BigInteger, EnumLiteral> seen = new HashMap<>();
        for (EnumLiteral l : e.getLiterals()) {
            if (l.getValue() == null) {
                continue;
            }
            if (!fits(l.getValue(), type)) {
                error("value " + l.getValue() + " of '" + l.getName() + "' does not fit " + type.keyword(), l,
                        ENUM_LITERAL__VALUE, IssueCodes.VALUE_OVERFLOW);
            }
            EnumLiteral first = seen.putIfAbsent(l.getValue(), l);
            if (first != null) {
                error("'" + l.getName() + "' has the same value " + l.getValue() + " as '" + first.getName() + "'", l,
                        ENUM_LITERAL__VALUE, IssueCodes.ENUM_COLLISION);
            }
        }
    }

    @Check
    public void checkConstant(Constant c) {
        ScalarType type = ScalarType.ofKeyword(c.getType().getLiteral());
        if (c.getValue() != null && !fits(c.getValue(), type)) {
            error("value " + c.getValue() + " does not fit " + type.keyword(), c, CONSTANT__VALUE,
                    IssueCodes.VALUE_OVERFLOW);
        }
    }

    static boolean fits(BigInteger v, ScalarType t) {
        return v.signum() >= 0 && v.bitLength() <= t.bits();
    }

    // ------------------------------------------------------------------ fields and layout

    @Check
    public void checkLayout(Model m) {
        LayoutEngine engine = new LayoutEngine(o -> null);
        Map<EObject, StructLayout> structs = new LinkedHashMap<>();
        for (Struct s : EcoreUtil2.eAllOfType(m, Struct.class)) {
            structs.put(s, engine.layout(s));
        }
        for (Request r : EcoreUtil2.eAllOfType(m, Request.class)) {
            engine.readablePart(r);
            engine.writablePart(r);
        }
        Set<String> reported = new HashSet<>();
        for (LayoutProblem p : engine.problems()) {
            if (p.element().eResource() != m.eResource() || !reported.add(p.code() + System.identityHashCode(p.element()))) {
                continue;
            }
            if (p.error()) {
                error(p.message(), p.element(), p.feature(), p.code());
            } else {
                warning(p.message(), p.element(), p.feature(), p.code());
            }
        }
        structs.forEach((s, layout) -> {
            Struct st = (Struct) s;
            if (st.getExpectedSize() > 0 && !layout.variable() && layout.size() != st.getExpectedSize()) {
                error("struct '" + st.getName() + "' is declared as " + st.getExpectedSize() + " bytes but its fields take "
                        + layout.size(), st, STRUCT__EXPECTED_SIZE, IssueCodes.SIZE_MISMATCH);
            }
        });
    }

    @Check
    public void checkAccess(Field f) {
        boolean inRequest = f.eContainer() instanceof Request;
        boolean hasAccess = f.isReadable() || f.isWritable();
        if (inRequest && !hasAccess) {
            error("a request field must say whether the device reads it ('readable') or writes it ('writable')", f,
                    REFERABLE__NAME, IssueCodes.MISSING_ACCESS);
        } else if (!inRequest && hasAccess && !(f.eContainer() instanceof UnionCase)) {
            error("'readable' and 'writable' apply only to request fields", f,
                    f.isReadable() ? FIELD__READABLE : FIELD__WRITABLE, IssueCodes.ACCESS_OUTSIDE_REQUEST);
        }
    }

    @Check
    public void checkRequestOrder(Request r) {
        Field firstWritable = null;
        for (Field f : r.getMembers()) {
            if (f.isWritable() && firstWritable == null) {
                firstWritable = f;
            } else if (f.isReadable() && firstWritable != null) {
                error("readable field '" + f.getName() + "' follows writable field '" + firstWritable.getName()
                        + "': a descriptor chain carries every device-readable buffer before the writable ones", f,
                        FIELD__READABLE, IssueCodes.READABLE_AFTER_WRITABLE);
            }
        }
        if (r.getDiscriminator() != null) {
            FieldPath head = r.getDiscriminator();
            while (head.getParent() != null) {
                head = head.getParent();
            }
            Field h = head.getField();
            if (h != null && !h.eIsProxy() && !h.isReadable()) {
                error("the discriminator must be read by the device: '" + h.getName() + "' is not readable",
                        r, REQUEST__DISCRIMINATOR, IssueCodes.BAD_DISCRIMINATOR);
            }
        }
        for (int i = 0; i < r.getValues().size(); i++) {
            requireConstant(r.getValues().get(i), r, REQUEST__VALUES, i);
        }
    }

    /**
     * The device picks a request's format by its discriminator value, so on one queue each value
     * may select one format only, and a queue with several formats needs a discriminator on each.
     */
    @Check
    public void checkRequestSelection(Device d) {
        Map<dev.avps.dsl.avps.Queue, List<Request>> byQueue = new LinkedHashMap<>();
        for (Element e : d.getMembers()) {
            if (e instanceof Request r && r.getQueue() != null && !r.getQueue().eIsProxy()) {
                byQueue.computeIfAbsent(r.getQueue(), q -> new ArrayList<>()).add(r);
            }
        }
        for (List<Request> formats : byQueue.values()) {
            if (formats.size() < 2) {
                continue;
            }
            Map<String, Request> seen = new HashMap<>();
            String selector = null;
            Request first = null;
            for (Request r : formats) {
                if (r.getDiscriminator() == null) {
                    // A warning, not an error: the device code can still tell the formats apart.
                    warning("queue '" + r.getQueue().getName() + "' carries " + formats.size()
                            + " request formats, so '" + r.getName() + "' needs a 'where' to tell it apart", r,
                            REQUEST__QUEUE, IssueCodes.AMBIGUOUS_REQUEST);
                    continue;
                }
                String path = LayoutEngine.path(r.getDiscriminator());
                String mine = r.getMask() == null ? path : path + " & 0x" + r.getMask().toString(16);
                // Different paths may name the same bytes (gpu's hdr.type and cmd.hdr.type): compare places.
                String place = selectorPlace(r) + (r.getMask() == null ? "" : "&" + r.getMask());
                if (selector == null) {
                    selector = place;
                    first = r;
                } else if (!selector.equals(place)) {
                    // A device reads one selector per chain; formats of one queue must agree on it.
                    error("request '" + r.getName() + "' selects by " + mine + " but '" + first.getName()
                            + "' on the same queue selects by other bits", r, REQUEST__DISCRIMINATOR,
                            IssueCodes.AMBIGUOUS_REQUEST);
                    continue;
                }
                for (int i = 0; i < r.getValues().size(); i++) {
                    BigInteger v = Expressions.constant(r.getValues().get(i));
                    if (v == null) {
                        continue;
                    }
                    Request earlier = seen.putIfAbsent(v.toString(), r);
                    if (earlier != null) {
                        error(mine + " == " + v + " already selects request '" + earlier.getName() + "' on queue '"
                                + r.getQueue().getName() + "'", r, REQUEST__VALUES, i, IssueCodes.AMBIGUOUS_REQUEST);
                    }
                }
            }
        }
    }

    /** Where a request's discriminator sits in its readable part, as "offset/size", or its path if not fixed. */
    private static String selectorPlace(Request r) {
        StructLayout part = new LayoutEngine(o -> null).readablePart(r);
        List<String> names = new ArrayList<>();
        for (FieldPath p = r.getDiscriminator(); p != null; p = p.getParent()) {
            names.add(0, p.getField() == null || p.getField().eIsProxy() ? "?" : p.getField().getName());
        }
        int offset = 0;
        dev.avps.model.FieldLayout leaf = null;
        StructLayout s = part;
        for (String n : names) {
            dev.avps.model.FieldLayout f = s == null ? null : s.field(n).orElse(null);
            if (f == null || f.base() != dev.avps.model.FieldLayout.OffsetBase.START) {
                return String.join(".", names);
            }
            offset += f.offset();
            leaf = f;
            s = f.nested();
        }
        return leaf == null ? String.join(".", names) : offset + "/" + leaf.elementSize();
    }

    /** Masked values can only match when they have no bits outside the mask. */
    @Check
    public void checkMaskedValues(Request r) {
        if (r.getMask() == null) {
            return;
        }
        for (int i = 0; i < r.getValues().size(); i++) {
            BigInteger v = Expressions.constant(r.getValues().get(i));
            if (v != null && !v.andNot(r.getMask()).equals(BigInteger.ZERO)) {
                error("value " + v + " has bits outside the mask 0x" + r.getMask().toString(16) + ", so it never matches",
                        r, REQUEST__VALUES, i, IssueCodes.MASKED_VALUE);
            }
        }
    }

    @Check
    public void checkDiscriminatorType(FieldPath p) {
        if (p.eContainer() instanceof FieldPath) {
            return;
        }
        Field f = p.getField();
        if (f == null || f.eIsProxy()) {
            return;
        }
        boolean scalar = f.getType() instanceof PrimitiveType
                || (f.getType() instanceof NamedType n && n.getType() instanceof Enum);
        if (!scalar || f.getArray() != null) {
            error("discriminator '" + f.getName() + "' must be a scalar or enum field", p, FIELD_PATH__FIELD,
                    IssueCodes.BAD_DISCRIMINATOR);
        }
    }

    @Check
    public void checkUnionLabels(UnionCase c) {
        for (int i = 0; i < c.getLabels().size(); i++) {
            requireConstant(c.getLabels().get(i), c, UNION_CASE__LABELS, i);
        }
    }

    private void requireConstant(Expression e, EObject owner, EStructuralFeature feature, int index) {
        if (Expressions.value(e) != null && Expressions.constant(e) == null) {
            error("this value must be known when the spec is built (a number, constant or enum value)", owner, feature,
                    index, IssueCodes.NOT_CONSTANT);
        }
    }

    /** A length field must come before the array it sizes, or a reader could not find it. */
    @Check
    public void checkLengthField(ValueRef ref) {
        if (!(ref.getTarget() instanceof Field len) || len.eIsProxy()) {
            return;
        }
        Field array = EcoreUtil2.getContainerOfType(ref, Field.class);
        if (array == null || array.eContainer() == null) {
            return;
        }
        // The length may sit inside an earlier struct field (header.len): compare that field.
        String head = Expressions.refText(ref).split("\\.")[0];
        List<?> siblings = (List<?>) array.eContainer().eGet(array.eContainingFeature());
        int lenIndex = -1;
        for (int i = 0; i < siblings.size(); i++) {
            if (siblings.get(i) instanceof Field f && head.equals(f.getName())) {
                lenIndex = i;
            }
        }
        if (lenIndex >= 0 && lenIndex >= siblings.indexOf(array)) {
            error("length field '" + Expressions.refText(ref) + "' must come before '" + array.getName() + "'", ref,
                    VALUE_REF__TARGET, IssueCodes.LENGTH_FIELD_ORDER);
        }
    }

    @Check
    public void checkBitfields(Field f) {
        if (f.getBitfields().isEmpty()) {
            return;
        }
        if (!(f.getType() instanceof PrimitiveType p) || f.getArray() != null) {
            error("bit ranges are allowed only inside a scalar field", f, REFERABLE__NAME, IssueCodes.BAD_BITFIELD);
            return;
        }
        int width = ScalarType.ofKeyword(p.getKind().getLiteral()).bits();
        long used = 0;
        for (BitField b : f.getBitfields()) {
            int lsb = b.getLsb();
            int msb = LayoutEngine.msb(b);
            if (msb < lsb || msb >= width) {
                error("bits " + lsb + ".." + msb + " do not fit the " + width + "-bit field '" + f.getName() + "'", b,
                        BIT_FIELD__LSB, IssueCodes.BAD_BITFIELD);
                continue;
            }
            long mask = (msb - lsb == 63 ? -1L : ((1L << (msb - lsb + 1)) - 1)) << lsb;
            if ((used & mask) != 0) {
                error("'" + b.getName() + "' overlaps another bit range of '" + f.getName() + "'", b, BIT_FIELD__LSB,
                        IssueCodes.BAD_BITFIELD);
            }
            used |= mask;
        }
    }

    // ------------------------------------------------------------------ names and docs

    @Check
    public void checkKeywordNames(EObject o) {
        EStructuralFeature nameFeature = o.eClass().getEStructuralFeature("name");
        if (nameFeature == null || o instanceof Model || !(o.eGet(nameFeature) instanceof String name)) {
            return;
        }
        EStructuralFeature cNameFeature = o.eClass().getEStructuralFeature("cName");
        String cName = cNameFeature == null ? null : (String) o.eGet(cNameFeature);
        if (Keywords.C.contains(cName != null ? cName : name)) {
            error("'" + (cName != null ? cName : name) + "' is a C keyword and would break the generated header",
                    o, cName != null ? cNameFeature : nameFeature, IssueCodes.C_KEYWORD, name, Keywords.escape(name));
        } else if (Keywords.JAVA.contains(name)) {
            warning("'" + name + "' is a Java keyword; generated Java will call it '" + Keywords.escape(name) + "'", o,
                    nameFeature, IssueCodes.JAVA_KEYWORD, name, Keywords.escape(name));
        }
    }

    @Check(CheckType.NORMAL)
    public void checkDocumented(EObject o) {
        if (!(o instanceof Device || o instanceof FeatureSet || o instanceof Feature || o instanceof Struct
                || o instanceof Enum || o instanceof Constant || o instanceof Queue || o instanceof QueueGroup
                || o instanceof Request)) {
            return;
        }
        String doc = documentation.getDocumentation(o);
        if (doc == null || doc.isBlank()) {
            EStructuralFeature name = o.eClass().getEStructuralFeature("name");
            warning(describe(o) + " has no doc comment (/** ... */)", o, name, IssueCodes.MISSING_DOC);
        }
    }

    private static String describe(EObject o) {
        EStructuralFeature name = o.eClass().getEStructuralFeature("name");
        String kind = o instanceof Struct s && s.isConfig() ? "config" : o.eClass().getName().toLowerCase();
        return kind + " '" + o.eGet(name) + "'";
    }
}
