package dev.avps.dsl.scoping;

import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.Expectation;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.FieldPath;
import dev.avps.dsl.avps.NamedType;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.QueueEntry;
import dev.avps.dsl.avps.QueueGroup;
import dev.avps.dsl.avps.Queues;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.avps.UnionCase;
import dev.avps.dsl.avps.ValueRef;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.EObjectDescription;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.impl.SimpleScope;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.Scopes;

/**
 * Scoping that follows the structure of a spec rather than plain name visibility:
 * a discriminator path walks into the struct types of its fields; a value reference sees the
 * fields before it in the same struct (array lengths) and, in a queue count, the device's
 * configuration fields; a request names a queue of its own device; a requirement's
 * {@code expect config} sees its device's configuration fields; a platform's demand sees the
 * features and config fields of the device it is about.
 */
public class AvpsScopeProvider extends AbstractAvpsScopeProvider {

    @Override
    public IScope getScope(EObject context, EReference reference) {
        if (reference == AvpsPackage.Literals.FIELD_PATH__FIELD) {
            return fieldPathScope(context);
        }
        if (reference == AvpsPackage.Literals.DEMAND__FEATURE) {
            return PlatformScope.features(context, super.getScope(context, reference));
        }
        if (reference == AvpsPackage.Literals.EXPECTATION__FIELD || reference == AvpsPackage.Literals.DEMAND__FIELD) {
            // Only the device's config fields (and paths into them): an expectation bounds nothing else.
            List<IEObjectDescription> fields = new ArrayList<>();
            for (Field f : ConfigFieldScope.of(context)) {
                addWithNested(f, QualifiedName.EMPTY, fields, 0);
            }
            return new SimpleScope(IScope.NULLSCOPE, fields);
        }
        DeviceExtension extension = reference == AvpsPackage.Literals.DEVICE_EXTENSION__BASE ? null
                : EcoreUtil2.getContainerOfType(context, DeviceExtension.class);
        if (reference == AvpsPackage.Literals.REQUEST__QUEUE) {
            Device d = EcoreUtil2.getContainerOfType(context, Device.class);
            if (extension != null) {
                return Scopes.scopeFor(ExtensionScope.queues(extension));
            }
            return d == null ? IScope.NULLSCOPE : Scopes.scopeFor(queuesOf(d));
        }
        IScope outer = super.getScope(context, reference);
        if (extension != null) {
            outer = ExtensionScope.of(extension, reference, outer);
        }
        if (reference == AvpsPackage.Literals.VALUE_REF__TARGET) {
            List<IEObjectDescription> fields = new ArrayList<>();
            boolean inExpectation = EcoreUtil2.getContainerOfType(context, Expectation.class) != null;
            for (Field f : inExpectation ? ConfigFieldScope.of(context) : localFields(context)) {
                addWithNested(f, QualifiedName.EMPTY, fields, 0);
            }
            return new SimpleScope(outer, fields);
        }
        return outer;
    }

    /**
     * Dotted paths offered in one scope. Paths multiply with every level (a struct of n struct
     * fields offers n^4 paths four levels down): the fuzzer's 4 KB spec of nested wide structs
     * exhausted the heap here. Real specs offer a few dozen.
     */
    private static final int MAX_NESTED_PATHS = 10_000;

    /** A field by its name and, for struct fields, its members by dotted path ({@code header.len}). */
    private static void addWithNested(Field f, QualifiedName prefix, List<IEObjectDescription> out, int depth) {
        if (f.getName() == null) {
            return;
        }
        QualifiedName name = prefix.append(f.getName());
        out.add(EObjectDescription.create(name, f));
        if (depth < 4 && out.size() < MAX_NESTED_PATHS && f.getArray() == null && f.getType() instanceof NamedType n && n.getType() instanceof Struct s
                && !s.eIsProxy()) {
            for (Field member : s.getMembers()) {
                addWithNested(member, name, out, depth + 1);
            }
        }
    }

    private IScope fieldPathScope(EObject context) {
        if (context instanceof FieldPath p && p.getParent() != null) {
            Field parent = p.getParent().getField();
            if (parent != null && !parent.eIsProxy() && parent.getType() instanceof NamedType n
                    && n.getType() instanceof Struct s) {
                return Scopes.scopeFor(s.getMembers());
            }
            return IScope.NULLSCOPE;
        }
        // The head of a path: fields of the request, or siblings of the union being selected.
        Request r = EcoreUtil2.getContainerOfType(context, Request.class);
        if (r != null) {
            return Scopes.scopeFor(r.getMembers());
        }
        Field union = EcoreUtil2.getContainerOfType(context, Field.class);
        if (union != null && union.eContainer() instanceof Struct s) {
            return Scopes.scopeFor(s.getMembers());
        }
        if (union != null && union.eContainer() instanceof UnionCase c) {
            return Scopes.scopeFor(c.getMembers());
        }
        return IScope.NULLSCOPE;
    }

    private static List<Field> localFields(EObject context) {
        List<Field> out = new ArrayList<>();
        EObject owner = context;
        while (owner != null && !(owner instanceof Struct) && !(owner instanceof Request)
                && !(owner instanceof UnionCase) && !(owner instanceof QueueEntry) && !(owner instanceof Queues)) {
            owner = owner.eContainer();
        }
        if (owner instanceof Struct s) {
            out.addAll(s.getMembers());
        } else if (owner instanceof Request r) {
            out.addAll(r.getMembers());
        } else if (owner instanceof UnionCase c) {
            out.addAll(c.getMembers());
            Struct s = EcoreUtil2.getContainerOfType(c, Struct.class);
            if (s != null) {
                out.addAll(s.getMembers());
            }
        } else if (owner != null) {
            Device d = EcoreUtil2.getContainerOfType(owner, Device.class);
            if (d != null) {
                for (EObject e : d.getMembers()) {
                    if (e instanceof Struct s && s.isConfig()) {
                        out.addAll(s.getMembers());
                    }
                }
            }
        }
        return out;
    }

    /** Every queue a device declares, group members included. */
    public static List<Queue> queuesOf(Device d) {
        return queuesIn(d.getMembers());
    }

    /** Every queue declared among some device (or extension) members, group members included. */
    public static List<Queue> queuesIn(List<? extends EObject> members) {
        List<Queue> out = new ArrayList<>();
        for (EObject e : members) {
            if (e instanceof Queues qs) {
                for (QueueEntry entry : qs.getEntries()) {
                    if (entry instanceof Queue q) {
                        out.add(q);
                    } else if (entry instanceof QueueGroup g) {
                        out.addAll(g.getQueues());
                    }
                }
            }
        }
        return out;
    }
}
