package dev.avps.dsl.validation;

import org.eclipse.emf.ecore.EObject;
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

    /**
     * Xtext would log a failing check with its stack trace and drop the file's remaining checks,
     * or ignore a NullPointerException outright. A failing rule is a bug of ours: it becomes one
     * positioned error with code {@link IssueCodes#INTERNAL}, the other rules still run, and the
     * CLI exits 3. A NullPointerException in a file that already has syntax errors is what Xtext
     * expects from a half-built tree and stays ignored.
     */
    @Override
    protected void handleExceptionDuringValidation(Throwable t) {
        if (t.getClass().getName().equals("org.eclipse.xtext.validation.GuardException")) {
            return; // Xtext's own "skip this check" signal (package-private class)
        }
        EObject at = getCurrentObject();
        if (t instanceof NullPointerException && at != null && at.eResource() != null
                && !at.eResource().getErrors().isEmpty()) {
            return;
        }
        String rule = getCurrentMethod() == null ? "?" : getCurrentMethod().getName();
        error("internal error in rule " + rule + ": " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()) + " (a bug in avps; please report it)", at, null,
                IssueCodes.INTERNAL);
    }
}
