package dev.avps.eclipse.highlight;

import org.eclipse.core.expressions.PropertyTester;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.Bundle;

/**
 * {@code dev.avps.eclipse.tm4eAbsent}: true when no usable TM4E UI bundle is installed, which
 * switches the built-in highlighter on. (The Generic Editor's enablement context has no
 * {@code org.eclipse.core.runtime.Platform} variable, so the check needs code of its own.)
 */
public class Tm4ePropertyTester extends PropertyTester {
    /** The bundle whose presence makes TM4E paint .avps files. */
    public static final String TM4E_UI = "org.eclipse.tm4e.ui";

    @Override
    public boolean test(Object receiver, String property, Object[] args, Object expectedValue) {
        boolean absent = !isUsable(Platform.getBundle(TM4E_UI));
        return expectedValue == null ? absent : expectedValue.equals(absent);
    }

    /** Whether {@code bundle} exists and has resolved (installed but unresolved does not paint). */
    static boolean isUsable(Bundle bundle) {
        return bundle != null && (bundle.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0;
    }
}
