package dev.avps.dsl.index;

import dev.avps.dsl.avps.Device;
import java.util.Map;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.EObjectDescription;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.impl.DefaultResourceDescriptionStrategy;
import org.eclipse.xtext.util.IAcceptor;

/**
 * Puts each device's ID into the index, so duplicate IDs are found across every loaded file
 * without loading them all.
 */
public class AvpsResourceDescriptionStrategy extends DefaultResourceDescriptionStrategy {

    public static final String DEVICE_ID = "deviceId";

    @Override
    public boolean createEObjectDescriptions(EObject o, IAcceptor<IEObjectDescription> acceptor) {
        if (o instanceof Device d && d.getDeviceId() != null) {
            QualifiedName name = getQualifiedNameProvider().getFullyQualifiedName(d);
            if (name != null) {
                acceptor.accept(EObjectDescription.create(name, d, Map.of(DEVICE_ID, d.getDeviceId().toString())));
            }
            return true;
        }
        return super.createEObjectDescriptions(o, acceptor);
    }
}
