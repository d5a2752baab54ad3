package dev.avps.eclipse.highlight;

import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITypedRegion;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.rules.DefaultDamagerRepairer;
import org.eclipse.jface.text.rules.ITokenScanner;

/**
 * Repaints the whole document on every change. The Generic Editor gives .avps one partition, so a
 * line-based damage would leave stale colours when a {@code /*} is typed or removed; spec files
 * are a few hundred lines, which rescan in well under a millisecond.
 */
final class WholeDocumentDamagerRepairer extends DefaultDamagerRepairer {

    WholeDocumentDamagerRepairer(ITokenScanner scanner) {
        super(scanner);
    }

    @Override
    public IRegion getDamageRegion(ITypedRegion partition, DocumentEvent event, boolean documentPartitioningChanged) {
        return new Region(0, event.getDocument().getLength());
    }
}
