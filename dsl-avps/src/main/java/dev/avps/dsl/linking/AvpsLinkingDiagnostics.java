package dev.avps.dsl.linking;

import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.PlatformDevice;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;

/**
 * Unresolved names inside a platform say what the platform asked for and why it is not there
 * (the device lacks the feature, the catalog lacks the device), instead of Xtext's generic
 * "Couldn't resolve reference". Other references keep Xtext's message.
 */
public class AvpsLinkingDiagnostics extends LinkingDiagnosticMessageProvider {

    @Override
    public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
        EReference ref = context.getReference();
        String name = context.getLinkText();
        PlatformDevice pd = EcoreUtil2.getContainerOfType(context.getContext(), PlatformDevice.class);
        String device = pd == null || pd.getDevice() == null || pd.getDevice().eIsProxy() ? null : pd.getDevice().getName();
        String message = null;
        if (ref == AvpsPackage.Literals.PLATFORM_DEVICE__DEVICE) {
            message = "no device '" + name + "' in the loaded specs: import its package (import virtio." + name
                    + ".*;) or load the catalog";
        } else if (ref == AvpsPackage.Literals.DEMAND__FEATURE && device != null) {
            message = "device '" + device + "' defines no feature '" + name + "', and no transport feature has that name";
        } else if (ref == AvpsPackage.Literals.DEMAND__FIELD && device != null) {
            message = "device '" + device + "' has no config field '" + name + "'";
        }
        if (message == null) {
            return super.getUnresolvedProxyMessage(context);
        }
        return new DiagnosticMessage(message, Severity.ERROR, org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC);
    }
}
