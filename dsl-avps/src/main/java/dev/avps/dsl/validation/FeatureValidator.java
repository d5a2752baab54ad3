package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.FEATURE_REF__FEATURE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FEATURE__ALIASES;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FEATURE__BIT;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FEATURE__REQUIRES;

import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureRef;
import dev.avps.dsl.avps.FeatureSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.Check;

/** Feature bits: the ranges VIRTIO reserves, one name per bit, no dependency cycles. */
public class FeatureValidator extends ConcernValidator {

    /** Device-specific feature bits: 0..23 and 50..127 (VIRTIO 1.4, "Feature Bits"). */
    static boolean isDeviceBit(int bit) {
        return (bit >= 0 && bit <= 23) || (bit >= 50 && bit <= 127);
    }

    /** Bits the spec reserves for the transport and the queue layouts. */
    static boolean isTransportBit(int bit) {
        return bit >= 24 && bit <= 41;
    }

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

    /**
     * The chain of requirements leading from f back to f, or null: a breadth-first search that
     * remembers each feature's predecessor, so a long chain costs linear time, not quadratic.
     */
    private static List<String> cycleThrough(Feature start) {
        Deque<Feature> work = new ArrayDeque<>();
        Map<Feature, Feature> reachedFrom = new HashMap<>();
        work.add(start);
        while (!work.isEmpty()) {
            Feature last = work.poll();
            for (Feature next : requiredBy(last)) {
                if (next == start) {
                    List<String> names = new ArrayList<>();
                    for (Feature p = last; p != null; p = reachedFrom.get(p)) {
                        names.add(0, p.getName());
                    }
                    names.add(start.getName());
                    return names;
                }
                if (!reachedFrom.containsKey(next)) {
                    reachedFrom.put(next, last);
                    work.add(next);
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
}
