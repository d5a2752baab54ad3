package dev.avps.dsl.validation;

import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.EValidatorRegistrar;

/**
 * Base of the validators {@link AvpsValidator} composes. They run inside the main validator's
 * registration, so they must not register themselves a second time (every check would fire
 * twice).
 */
abstract class ConcernValidator extends AbstractDeclarativeValidator {

    @Override
    public void register(EValidatorRegistrar registrar) {
        // composed into AvpsValidator, which is the one registered
    }
}
