package dev.avps.dsl.scoping;

import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.PlatformDevice;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.Struct;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;

/**
 * The config fields an {@code expect config ...} of a requirement may name: those of its device's
 * config struct, or inside {@code extend device} the base's followed by the proposal's. A
 * requirement outside a device (a rule of every device) has none. A platform's {@code config}
 * demand sees the config fields of the device it names.
 */
public final class ConfigFieldScope {

    private ConfigFieldScope() {
    }

    /** The top-level config fields visible from {@code context}, an object inside a requirement. */
    public static List<Field> of(EObject context) {
        List<Field> out = new ArrayList<>();
        PlatformDevice pd = EcoreUtil2.getContainerOfType(context, PlatformDevice.class);
        if (pd != null) {
            if (pd.getDevice() != null && !pd.getDevice().eIsProxy()) {
                addConfig(pd.getDevice().getMembers(), out);
            }
            return out;
        }
        Requirement r = EcoreUtil2.getContainerOfType(context, Requirement.class);
        if (r == null) {
            return out;
        }
        EObject owner = r.eContainer();
        if (owner instanceof Device d) {
            addConfig(d.getMembers(), out);
        } else if (owner instanceof DeviceExtension x) {
            if (x.getBase() != null && !x.getBase().eIsProxy()) {
                addConfig(x.getBase().getMembers(), out);
            }
            addConfig(x.getMembers(), out);
        }
        return out;
    }

    private static void addConfig(List<Element> members, List<Field> out) {
        for (EObject e : members) {
            if (e instanceof Struct s && s.isConfig()) {
                out.addAll(s.getMembers());
            }
        }
    }
}
