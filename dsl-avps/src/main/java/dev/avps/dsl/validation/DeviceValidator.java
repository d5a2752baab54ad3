package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.DEVICE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.DEVICE__DEVICE_ID;
import static dev.avps.dsl.avps.AvpsPackage.Literals.IMPORT__IMPORTED_NAMESPACE;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Import;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.scoping.Prelude;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.IResourceDescription;
import dev.avps.dsl.index.AvpsResourceDescriptionStrategy;
import java.math.BigInteger;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsProvider;
import org.eclipse.xtext.validation.Check;

/**
 * Devices and packages across the whole set of loaded files: IDs that fit and do not repeat,
 * imports that name something, and no element declared twice under one qualified name.
 */
public class DeviceValidator extends ConcernValidator {

    @Inject
    private IResourceDescription.Manager descriptions;

    @Inject
    private ResourceDescriptionsProvider indexProvider;

    @Inject
    private IQualifiedNameProvider names;

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

    /** An import must name a package or element some loaded file (or the prelude) declares. */
    @Check
    public void checkImport(Import imp) {
        String ns = imp.getImportedNamespace();
        if (ns == null || imp.eResource() == null) {
            return;
        }
        boolean wildcard = ns.endsWith(".*");
        QualifiedName wanted = QualifiedName.create((wildcard ? ns.substring(0, ns.length() - 2) : ns).split("\\."));
        IResourceDescriptions index = indexProvider.getResourceDescriptions(imp.eResource());
        Iterable<IEObjectDescription> prelude = imp.eResource().getResourceSet() == null ? List.of()
                : descriptions.getResourceDescription(Prelude.load(imp.eResource().getResourceSet())).getExportedObjects();
        for (Iterable<IEObjectDescription> source : List.of(index.getExportedObjects(), prelude)) {
            for (IEObjectDescription d : source) {
                QualifiedName q = d.getQualifiedName();
                if (wildcard ? q.startsWith(wanted) : q.equals(wanted)) {
                    return;
                }
            }
        }
        error("import '" + ns + "' names " + (wildcard ? "a package" : "an element")
                + " that no loaded spec declares (add the file that declares it, or pass its directory with -L)",
                imp, IMPORT__IMPORTED_NAMESPACE, IssueCodes.UNRESOLVED_IMPORT);
    }

    /**
     * Two files may share a package, but not a top-level element name in it: the generators would
     * write both devices (or shared types) to the same files.
     */
    @Check
    public void checkDuplicateAcrossFiles(Model m) {
        if (m.eResource() == null) {
            return;
        }
        IResourceDescriptions index = indexProvider.getResourceDescriptions(m.eResource());
        URI self = normalized(m, m.eResource().getURI());
        for (Element e : m.getElements()) {
            QualifiedName qn = names.getFullyQualifiedName(e);
            if (qn == null) {
                continue;
            }
            for (IEObjectDescription other : index.getExportedObjects(e.eClass(), qn, false)) {
                URI where = normalized(m, other.getEObjectURI().trimFragment());
                if (other.getEObjectOrProxy() != e && !where.equals(self)) {
                    error(e.eClass().getName().toLowerCase(java.util.Locale.ROOT) + " '" + qn + "' is also declared in "
                            + (where.lastSegment() == null ? where.toString() : where.lastSegment()), e,
                            e.eClass().getEStructuralFeature("name"), IssueCodes.DUPLICATE_ELEMENT);
                    break;
                }
            }
        }
    }

    /** The same file may be named by a relative and an absolute URI; compare the normalized forms. */
    private static URI normalized(Model m, URI uri) {
        return m.eResource().getResourceSet() == null ? uri
                : m.eResource().getResourceSet().getURIConverter().normalize(uri);
    }
}
