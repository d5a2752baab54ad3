package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.STRUCT__CONFIG;
import static dev.avps.dsl.avps.AvpsPackage.Literals.STRUCT__NAME;

import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.FeatureSet;
import dev.avps.dsl.avps.Platform;
import dev.avps.dsl.avps.Queues;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.validation.Check;

/**
 * Where each kind of element may stand. The grammar accepts every element everywhere (one rule
 * gives better syntax errors), so this is where "a queue block belongs inside a device" is said.
 */
public class PlacementValidator extends ConcernValidator {

    @Check
    public void checkPlacement(Element e) {
        boolean inDevice = e.eContainer() instanceof Device || e.eContainer() instanceof DeviceExtension;
        if (inDevice && (e instanceof Device || e instanceof FeatureSet || e instanceof Platform)) {
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
            case "Platform" -> "a platform";
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
}
