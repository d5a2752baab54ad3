package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.DEVICE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.DEVICE__DEVICE_ID;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.index.AvpsResourceDescriptionStrategy;
import java.math.BigInteger;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsProvider;
import org.eclipse.xtext.validation.Check;

/** Devices across the whole set of loaded files: IDs that fit and do not repeat. */
public class DeviceValidator extends ConcernValidator {

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
}
