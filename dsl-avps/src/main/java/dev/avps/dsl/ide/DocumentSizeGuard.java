package dev.avps.dsl.ide;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.xtext.ide.server.Document;

/**
 * Keeps documents over {@link #MAX_CHARS} away from Xtext. Parsing, linking and validating a spec
 * costs time and memory in proportion to its size many times over (a 10 MB didOpen took 40 s and
 * 1.8 GB), while real specs are a few KB; so an editor buffer over the limit is refused, not
 * parsed. To notice an open document growing past the limit through incremental changes, a copy of
 * each open document's text is kept and the same changes are applied to it.
 */
final class DocumentSizeGuard {

    /** 1 MiB of UTF-16 characters, as LSP counts text: a hundred times the largest catalog spec. */
    static final int MAX_CHARS = 1024 * 1024;

    private final Map<String, Document> open = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refused = new ConcurrentHashMap<>();

    /** Whether a document just opened with this text may go to Xtext; remembers the answer. */
    boolean open(String uri, int version, String text) {
        if (text.length() > MAX_CHARS) {
            open.remove(uri);
            refused.put(uri, true);
            return false;
        }
        refused.remove(uri);
        open.put(uri, new AvpsDocument(version, text));
        return true;
    }

    /**
     * The document's length after the changes, or -1 if it is not known here (refused, and the
     * changes do not end in a whole new text).
     */
    int change(String uri, int version, List<TextDocumentContentChangeEvent> changes) {
        Document before = open.get(uri);
        if (before == null) {
            TextDocumentContentChangeEvent last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
            if (last == null || last.getRange() != null || last.getText() == null) {
                return -1; // a refused document's text was never kept, so edits to it cannot be applied
            }
            return last.getText().length();
        }
        for (TextDocumentContentChangeEvent c : changes) {
            if (c.getText() != null && c.getText().length() > MAX_CHARS) {
                return c.getText().length();
            }
        }
        Document after = before.applyTextDocumentChanges(changes);
        open.put(uri, new AvpsDocument(version, after.getContents()));
        return after.getContents().length();
    }

    boolean isRefused(String uri) {
        return refused.containsKey(uri);
    }

    void refuse(String uri) {
        open.remove(uri);
        refused.put(uri, true);
    }

    /** Forgets the document; true if it had been refused (Xtext never saw it). */
    boolean close(String uri) {
        open.remove(uri);
        return refused.remove(uri) != null;
    }
}
