package dev.avps.eclipse.highlight;

import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.presentation.PresentationReconciler;
import org.eclipse.jface.text.rules.IToken;
import org.eclipse.jface.text.rules.Token;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;

/**
 * Keyword highlighting for the Generic Editor when TM4E is not installed (see plugin.xml): the
 * {@link AvpsTokenScanner} with fixed colours close to Eclipse's Java editor defaults.
 */
public class AvpsPresentationReconciler extends PresentationReconciler {

    /** Created by the Generic Editor through the presentationReconcilers extension. */
    public AvpsPresentationReconciler() {
        WholeDocumentDamagerRepairer damagerRepairer = new WholeDocumentDamagerRepairer(
                new AvpsTokenScanner(AvpsPresentationReconciler::tokenFor));
        setDamager(damagerRepairer, IDocument.DEFAULT_CONTENT_TYPE);
        setRepairer(damagerRepairer, IDocument.DEFAULT_CONTENT_TYPE);
    }

    /** The styled token for each kind; identifiers keep the editor's default style. */
    static IToken tokenFor(AvpsTokenKind kind) {
        // Device-independent colours (SWT 3.115+): no Display is needed and nothing to dispose.
        switch (kind) {
            case KEYWORD:
                return new Token(new TextAttribute(new Color(127, 0, 85), null, SWT.BOLD));
            case TYPE:
                return new Token(new TextAttribute(new Color(0, 80, 160), null, SWT.BOLD));
            case CONSTANT:
                return new Token(new TextAttribute(new Color(0, 0, 192), null, SWT.ITALIC));
            case NUMBER:
                return new Token(new TextAttribute(new Color(125, 80, 0)));
            case STRING:
                return new Token(new TextAttribute(new Color(42, 0, 255)));
            case COMMENT:
                return new Token(new TextAttribute(new Color(63, 127, 95)));
            case DOC_COMMENT:
                return new Token(new TextAttribute(new Color(63, 95, 191)));
            case IDENTIFIER:
            default:
                return new Token(null);
        }
    }
}
