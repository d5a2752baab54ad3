package dev.avps.dsl.validation;

import org.eclipse.xtext.validation.ComposedChecks;

/**
 * The rules a spec must follow beyond its syntax, one class per concern. Every rule carries an
 * issue code from {@link IssueCodes}; layout rules come from the
 * {@link dev.avps.dsl.layout.LayoutEngine} so that the validator and the generator agree on every
 * offset.
 */
@ComposedChecks(validators = {PlacementValidator.class, DeviceValidator.class, FeatureValidator.class,
        ValueValidator.class, LayoutValidator.class, RequestValidator.class, QueueValidator.class, NameValidator.class,
        DocValidator.class, ConfigAccessValidator.class, ExtensionValidator.class, TargetNameValidator.class,
        RequirementValidator.class, ExpectationValidator.class, PlatformValidator.class})
public class AvpsValidator extends AbstractAvpsValidator {
}
