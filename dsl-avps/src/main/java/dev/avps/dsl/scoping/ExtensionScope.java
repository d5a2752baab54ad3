package dev.avps.dsl.scoping;

import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.Struct;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.EObjectDescription;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.impl.SimpleScope;

/**
 * Inside {@code extend device blk { ... }} the base device's own names are visible without
 * qualification, as they are inside the device itself: its features (and aliases), structs, enums
 * and their values, constants, config fields and queues. The extension's own names come first.
 */
final class ExtensionScope {

    private ExtensionScope() {
    }

    static IScope of(DeviceExtension x, EReference reference, IScope outer) {
        Device base = x.getBase();
        if (base == null || base.eIsProxy()) {
            return outer;
        }
        List<IEObjectDescription> out = new ArrayList<>();
        for (EObject e : base.getMembers()) {
            if (e instanceof DeviceFeatures df) {
                for (Feature f : df.getFeatures()) {
                    add(f.getName(), f, reference, out);
                    f.getAliases().forEach(a -> add(a, f, reference, out));
                }
            } else if (e instanceof Enum en) {
                add(en.getName(), en, reference, out);
                for (EnumLiteral l : en.getLiterals()) {
                    add(l.getName(), l, reference, out);
                }
            } else if (e instanceof Struct s) {
                add(s.getName(), s, reference, out);
                if (s.isConfig()) {
                    for (Field f : s.getMembers()) {
                        add(f.getName(), f, reference, out);
                    }
                }
            } else {
                Object name = e.eClass().getEStructuralFeature("name") == null ? null
                        : e.eGet(e.eClass().getEStructuralFeature("name"));
                if (name instanceof String n) {
                    add(n, e, reference, out);
                }
            }
        }
        for (Queue q : AvpsScopeProvider.queuesOf(base)) {
            add(q.getName(), q, reference, out);
        }
        return new SimpleScope(outer, out);
    }

    /** The queues a request inside an extension may use: the base's, then the extension's own. */
    static List<Queue> queues(DeviceExtension x) {
        List<Queue> out = new ArrayList<>();
        if (x.getBase() != null && !x.getBase().eIsProxy()) {
            out.addAll(AvpsScopeProvider.queuesOf(x.getBase()));
        }
        out.addAll(AvpsScopeProvider.queuesIn(x.getMembers()));
        return out;
    }

    private static void add(String name, EObject o, EReference reference, List<IEObjectDescription> out) {
        if (name != null && reference.getEReferenceType().isSuperTypeOf(o.eClass())) {
            out.add(EObjectDescription.create(QualifiedName.create(name), o));
        }
    }
}
