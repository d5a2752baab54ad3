package dev.avps.dsl.scoping;

import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureSet;
import dev.avps.dsl.avps.PlatformDevice;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.EObjectDescription;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.impl.FilteringScope;
import org.eclipse.xtext.scoping.impl.SimpleScope;

/**
 * Inside a platform's {@code device blk MUST { ... }} the device's own feature bits (and their
 * aliases) are visible by their spec names, as they are inside the device; transport features
 * (VERSION_1, RING_PACKED, ...) come from the outer scope as everywhere else. A feature of
 * another device does not resolve, so "blk does not define it" is a link error at its position.
 */
final class PlatformScope {

    private PlatformScope() {
    }

    static IScope features(EObject context, IScope outer) {
        PlatformDevice pd = EcoreUtil2.getContainerOfType(context, PlatformDevice.class);
        if (pd == null || pd.getDevice() == null || pd.getDevice().eIsProxy()) {
            return outer;
        }
        List<IEObjectDescription> own = new ArrayList<>();
        for (EObject e : pd.getDevice().getMembers()) {
            if (e instanceof DeviceFeatures df) {
                for (Feature f : df.getFeatures()) {
                    add(f.getName(), f, own);
                    f.getAliases().forEach(a -> add(a, f, own));
                }
            }
        }
        // Only transport features from outside: another device's bit is not this device's.
        IScope transport = new FilteringScope(outer, d -> isTransportFeature(d, context));
        return new SimpleScope(transport, own);
    }

    private static boolean isTransportFeature(IEObjectDescription d, EObject context) {
        EObject o = d.getEObjectOrProxy();
        if (o.eIsProxy()) {
            o = EcoreUtil.resolve(o, context);
        }
        return o instanceof Feature f && !f.eIsProxy() && f.eContainer() instanceof FeatureSet;
    }

    private static void add(String name, Feature f, List<IEObjectDescription> out) {
        if (name != null) {
            out.add(EObjectDescription.create(QualifiedName.create(name), f));
        }
    }
}
