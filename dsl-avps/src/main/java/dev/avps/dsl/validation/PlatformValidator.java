package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.DEMAND__FEATURE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.DEMAND__FIELD;
import static dev.avps.dsl.avps.AvpsPackage.Literals.DEMAND__NEGATED;
import static dev.avps.dsl.avps.AvpsPackage.Literals.DEMAND__VALUE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM_DEVICE__DEVICE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM_REQUIREMENT__CHECKS;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM_REQUIREMENT__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM__TRANSPORTS;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM__VERSION;

import dev.avps.dsl.avps.Demand;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Level;
import dev.avps.dsl.avps.Platform;
import dev.avps.dsl.avps.PlatformDevice;
import dev.avps.dsl.avps.PlatformMember;
import dev.avps.dsl.avps.PlatformRequirement;
import dev.avps.dsl.layout.Expressions;
import dev.avps.model.FeatureExpr;
import dev.avps.model.ScalarType;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.validation.Check;

/**
 * A platform against the catalog it names: known transports, each device listed once, each
 * feature demanded once and never both offered and withheld, config bounds on plain number fields
 * that the field's width can decide, queue figures the transports can carry, and config fields
 * that exist only with a feature the platform forbids. Unknown devices and features are link
 * errors at their position (the platform scope only shows the device's own and the transport bits).
 */
public class PlatformValidator extends ConcernValidator {

    /** The virtio transports a platform may allow. */
    public static final List<String> TRANSPORTS = List.of("pci", "mmio", "ccw");

    /**
     * The checks the generated guest probe implements (generator's platform-probe target, which a
     * test holds to this list), each a question a running Linux guest can answer.
     */
    public static final List<String> PROBE_CHECKS = List.of("guest_hwrng", "guest_block_read", "guest_net_interface",
            "guest_console_port", "guest_modern_devices");

    /** Requirement IDs become file names and XML attributes in the reports: a plain word. */
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

    /** The largest split or packed queue the spec allows. */
    private static final int MAX_QUEUE_SIZE = 32768;
    /** The largest number of queues a 16-bit queue index (PCI's num_queues) can name. */
    private static final int MAX_QUEUES = 65535;

    @Check
    public void checkHeader(Platform p) {
        if (p.getVersion() != null && p.getVersion().isBlank()) {
            error("platform '" + p.getName() + "' needs a version: write it as it appears in its document, e.g. \"1.0\"",
                    p, PLATFORM__VERSION, IssueCodes.BAD_PLATFORM);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < p.getTransports().size(); i++) {
            String t = p.getTransports().get(i);
            if (!TRANSPORTS.contains(t)) {
                error("unknown transport '" + t + "': a platform allows " + String.join(", ", TRANSPORTS), p,
                        PLATFORM__TRANSPORTS, i, IssueCodes.BAD_PLATFORM);
            } else if (!seen.add(t)) {
                error("transport '" + t + "' is listed twice", p, PLATFORM__TRANSPORTS, i, IssueCodes.BAD_PLATFORM);
            }
        }
        Map<EObject, PlatformDevice> devices = new HashMap<>();
        Map<String, PlatformRequirement> requirements = new HashMap<>();
        for (PlatformMember m : p.getMembers()) {
            if (m instanceof PlatformDevice d && d.getDevice() != null && !d.getDevice().eIsProxy()) {
                PlatformDevice first = devices.putIfAbsent(d.getDevice(), d);
                if (first != null) {
                    error("device '" + d.getDevice().getName() + "' is already listed at line " + line(first)
                            + ": list each device once, with all it must offer", d, PLATFORM_DEVICE__DEVICE,
                            IssueCodes.BAD_PLATFORM);
                }
            } else if (m instanceof PlatformRequirement r && r.getName() != null) {
                PlatformRequirement first = requirements.putIfAbsent(r.getName(), r);
                if (first != null) {
                    error("requirement '" + r.getName() + "' is already declared at line " + line(first), r,
                            PLATFORM_REQUIREMENT__NAME, IssueCodes.BAD_PLATFORM);
                }
            }
        }
    }

    @Check
    public void checkRequirementName(PlatformRequirement r) {
        if (r.getName() != null && !ID.matcher(r.getName()).matches()) {
            error("platform requirement '" + r.getName() + "' is its ID in the probe's and the report's output: "
                    + "write it in lower_snake_case", r, PLATFORM_REQUIREMENT__NAME, IssueCodes.BAD_PLATFORM);
        }
    }

    @Check
    public void checkProbeChecks(PlatformRequirement r) {
        for (int i = 0; i < r.getChecks().size(); i++) {
            String name = r.getChecks().get(i).getName();
            if (name != null && !PROBE_CHECKS.contains(name)) {
                error("the guest probe has no check '" + name + "' (it has " + String.join(", ", PROBE_CHECKS) + ")",
                        r, PLATFORM_REQUIREMENT__CHECKS, i, IssueCodes.BAD_PLATFORM);
            }
        }
    }

    @Check
    public void checkFeatureDemands(PlatformDevice d) {
        Map<Feature, Demand> seen = new HashMap<>();
        for (Demand x : d.getDemands()) {
            if (!"offer".equals(x.getKind()) || x.getFeature() == null || x.getFeature().eIsProxy()) {
                continue;
            }
            Demand first = seen.putIfAbsent(x.getFeature(), x);
            if (first == null) {
                continue;
            }
            String name = x.getFeature().getName();
            if (first.isNegated() != x.isNegated()) {
                error("contradictory levels: line " + line(first) + " says " + says(first) + " " + name + ", this says "
                        + says(x), x, DEMAND__FEATURE, IssueCodes.BAD_PLATFORM);
            } else {
                error("feature " + name + " is already demanded at line " + line(first)
                        + (first.getLevel() != x.getLevel() ? " with level " + first.getLevel() : ""), x,
                        DEMAND__FEATURE, IssueCodes.BAD_PLATFORM);
            }
        }
    }

    @Check
    public void checkDemand(Demand x) {
        String kind = x.getKind();
        if (x.isNegated() && !"offer".equals(kind)) {
            error("NOT applies to 'offer' only: bound a " + kind + " figure with a comparison instead", x,
                    DEMAND__NEGATED, IssueCodes.BAD_PLATFORM);
        }
        BigInteger v = x.getValue();
        if ("queues".equals(kind) && v != null && v.compareTo(BigInteger.valueOf(MAX_QUEUES)) > 0) {
            error("a device has at most " + MAX_QUEUES + " queues, so " + v + " can never be met", x, DEMAND__VALUE,
                    IssueCodes.BAD_PLATFORM);
        }
        if ("queue".equals(kind) && v != null && v.compareTo(BigInteger.valueOf(MAX_QUEUE_SIZE)) > 0) {
            error("a virtqueue holds at most " + MAX_QUEUE_SIZE + " entries, so " + v + " can never be met", x,
                    DEMAND__VALUE, IssueCodes.BAD_PLATFORM);
        }
        if ("config".equals(kind) && x.getField() != null && !x.getField().eIsProxy()) {
            checkConfigDemand(x, x.getField());
        }
    }

    private void checkConfigDemand(Demand x, Field f) {
        String why = ExpectationValidator.notComparable(f);
        if (why != null) {
            error("config field '" + f.getName() + "' " + why + (why.startsWith("is inside") ? ""
                    : ": a platform bounds a single number"), x, DEMAND__FIELD, IssueCodes.BAD_PLATFORM);
            return;
        }
        ScalarType type = ExpectationValidator.scalarOf(f);
        if (type != null && x.getValue() != null && x.getValue().bitLength() > type.bits()) {
            error("bound " + x.getValue() + " is outside the values " + type.keyword() + " '" + f.getName()
                    + "' can hold, so the comparison's outcome is fixed", x, DEMAND__VALUE, IssueCodes.BAD_PLATFORM);
        }
        checkFieldPresence(x, f);
    }

    /** A field that exists only with some features: the platform must not forbid them, and should demand them. */
    private void checkFieldPresence(Demand x, Field f) {
        FeatureExpr cond = Expressions.condition(f.getCondition());
        PlatformDevice d = EcoreUtil2.getContainerOfType(x, PlatformDevice.class);
        if (cond == null || d == null) {
            return;
        }
        // Demanded: offered at MUST, or at the bound's own level (a SHOULD bound on a SHOULD feature).
        Set<Integer> offered = new HashSet<>();
        Set<Integer> forbidden = new HashSet<>();
        for (Demand o : d.getDemands()) {
            if ("offer".equals(o.getKind()) && o.getFeature() != null && !o.getFeature().eIsProxy()) {
                int bit = o.getFeature().getBit();
                if (o.isNegated() && o.getLevel() == Level.MUST) {
                    forbidden.add(bit);
                } else if (!o.isNegated() && (o.getLevel() == Level.MUST || o.getLevel() == x.getLevel())) {
                    offered.add(bit);
                }
            }
        }
        String text = NodeModelUtils.getTokenText(NodeModelUtils.getNode(f.getCondition()));
        if (!cond.holds(bit -> !forbidden.contains(bit))) {
            error("config field '" + f.getName() + "' exists only when " + text
                    + ", which this platform forbids with MUST NOT offer", x, DEMAND__FIELD, IssueCodes.BAD_PLATFORM);
        } else if (!cond.holds(offered::contains)) {
            warning("config field '" + f.getName() + "' exists only when " + text + ": demand MUST offer for that too, "
                    + "or a device without it fails this bound", x, DEMAND__FIELD, IssueCodes.BAD_PLATFORM);
        }
    }

    private static String says(Demand d) {
        return d.getLevel() + (d.isNegated() ? " NOT" : "") + " offer";
    }

    private static int line(EObject o) {
        return NodeModelUtils.getNode(o) == null ? 0 : NodeModelUtils.getNode(o).getStartLine();
    }
}
