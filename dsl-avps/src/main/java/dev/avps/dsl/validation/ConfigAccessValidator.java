package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.FIELD__DRIVER_WRITABLE;

import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Struct;
import java.util.List;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;

/**
 * Where {@code driver-writable} may stand. The spec lets a driver write only a handful of config
 * fields (blk's writeback, input's select and subsel, ...) and generated backends ignore driver
 * writes everywhere else, so the mark must sit on a named field directly inside a device's
 * {@code config} block: nested struct members, request fields and padding have no such meaning.
 */
public final class ConfigAccessValidator extends AbstractDeclarativeValidator {

    @Check
    public void checkDriverWritable(Field f) {
        if (!f.isDriverWritable()) {
            return;
        }
        if (!(f.eContainer() instanceof Struct s) || !s.isConfig()) {
            error("'driver-writable' applies only to fields of a device's config block", f, FIELD__DRIVER_WRITABLE,
                    IssueCodes.DRIVER_WRITABLE_OUTSIDE_CONFIG);
        } else if (f.isReserved()) {
            error("reserved field '" + f.getName() + "' cannot be driver-writable: padding carries no value", f,
                    FIELD__DRIVER_WRITABLE, IssueCodes.DRIVER_WRITABLE_OUTSIDE_CONFIG);
        } else if (f.isUnion()) {
            error("union '" + f.getName() + "' cannot be driver-writable: mark the config fields the driver writes",
                    f, FIELD__DRIVER_WRITABLE, IssueCodes.DRIVER_WRITABLE_OUTSIDE_CONFIG);
        }
    }

    @Override
    protected List<EPackage> getEPackages() {
        return List.of(AvpsPackage.eINSTANCE);
    }

    /** Composed into {@link AvpsValidator}, which registers for the language. */
    @Override
    public void register(EValidatorRegistrar registrar) {
    }
}
