package dev.avps.dsl.ide;

import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.util.ITextRegion;
import org.eclipse.xtext.util.TextRegion;

/**
 * An open document whose positions follow LSP 3.17 ({@link LspLines}): a lone CR ends a line.
 * Xtext's own document counts only LF, so a client's position after a lone CR would land on the
 * wrong text. Edits ({@link #applyTextDocumentChanges}) use these offsets too; their result is
 * wrapped again by {@link AvpsWorkspaceManager}.
 */
final class AvpsDocument extends Document {

    private volatile LspLines lines;

    AvpsDocument(Integer version, String text) {
        super(version, text);
    }

    static Document of(Document d) {
        return d == null || d instanceof AvpsDocument ? d : new AvpsDocument(d.getVersion(), d.getContents());
    }

    private LspLines lines() {
        LspLines l = lines;
        if (l == null) {
            l = new LspLines(getContents());
            lines = l;
        }
        return l;
    }

    @Override
    public int getOffSet(Position position) throws IndexOutOfBoundsException {
        int offset = lines().offset(position, getContents());
        if (offset < 0) {
            throw new IndexOutOfBoundsException("position " + position.getLine() + ":" + position.getCharacter()
                    + " lies outside the document");
        }
        return offset;
    }

    @Override
    public Position getPosition(int offset) throws IndexOutOfBoundsException {
        if (offset < 0 || offset > getContents().length()) {
            throw new IndexOutOfBoundsException("offset " + offset + " lies outside the document");
        }
        return lines().position(offset);
    }

    /** Xtext's walks the text by its own line rule, bypassing {@link #getOffSet}. */
    @Override
    public ITextRegion getTextRegion(Range range) {
        int start = getOffSet(range.getStart());
        int end = getOffSet(range.getEnd());
        return new TextRegion(start, Math.max(0, end - start));
    }

    /** As Xtext's, but every step of a batch of edits counts lines the protocol's way. */
    @Override
    public Document applyTextDocumentChanges(Iterable<? extends TextDocumentContentChangeEvent> changes) {
        AvpsDocument current = this;
        Integer version = getVersion() == null ? null : getVersion() + 1;
        for (TextDocumentContentChangeEvent c : changes) {
            String text;
            if (c.getRange() == null) {
                text = c.getText();
            } else {
                ITextRegion r = current.getTextRegion(c.getRange());
                String old = current.getContents();
                text = old.substring(0, r.getOffset()) + c.getText() + old.substring(r.getEndOffset());
            }
            current = new AvpsDocument(version, text);
        }
        return current;
    }
}
