package dev.avps.dsl.ide;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.lsp4j.Position;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.resource.XtextResource;

/**
 * Positions of results (definitions, references, symbols, hover ranges) computed from the
 * parsed text with the protocol's line ends ({@link LspLines}) instead of the node model's,
 * which knows only LF.
 */
public class AvpsDocumentExtensions extends DocumentExtensions {

    @Override
    public Position newPosition(Resource resource, int offset) {
        if (resource instanceof XtextResource x && x.getParseResult() != null && x.getParseResult().getRootNode() != null) {
            String text = x.getParseResult().getRootNode().getText();
            if (LspLines.hasLoneCr(text)) {
                return new LspLines(text).position(offset);
            }
        }
        return super.newPosition(resource, offset);
    }
}
