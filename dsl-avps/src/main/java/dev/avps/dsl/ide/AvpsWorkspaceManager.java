package dev.avps.dsl.ide;

import com.google.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.resource.XtextResource;

/**
 * Xtext's workspace with documents that count lines as LSP does ({@link AvpsDocument}): every
 * document it keeps for an open editor, or builds for a file read from disk, is one.
 */
@Singleton
public class AvpsWorkspaceManager extends WorkspaceManager {

    @Override
    protected Map<URI, Document> createOpenDocuments() {
        // Xtext puts a plain Document here on open and after each edit; wrapping on the way in
        // covers every path without copying Xtext's logic.
        return new HashMap<>() {
            @Override
            public Document put(URI key, Document value) {
                return super.put(key, AvpsDocument.of(value));
            }
        };
    }

    @Override
    protected Document getDocument(XtextResource resource) {
        return AvpsDocument.of(super.getDocument(resource));
    }

    /** The text of the editor's copy of a document, or null when no editor has it open. */
    String openText(URI uri) {
        Document d = getOpenDocuments().get(uri);
        return d == null ? null : d.getContents();
    }
}
