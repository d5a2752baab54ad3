package dev.avps.dsl.ide.quickfix;

import dev.avps.dsl.validation.IssueCodes;
import dev.avps.dsl.validation.Keywords;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.editor.quickfix.AbstractDeclarativeIdeQuickfixProvider;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolutionAcceptor;
import org.eclipse.xtext.ide.editor.quickfix.ITextModification;
import org.eclipse.xtext.ide.editor.quickfix.QuickFix;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/**
 * Fixes for the validator's mechanical findings. Each edit is computed from the document text
 * at the diagnostic, so it stays right even when the model around it is broken.
 */
public class AvpsQuickfixProvider extends AbstractDeclarativeIdeQuickfixProvider {

    @QuickFix(IssueCodes.C_KEYWORD)
    public void renameCKeyword(DiagnosticResolutionAcceptor acceptor) {
        acceptor.accept("Rename to a name that is no keyword", rename());
    }

    @QuickFix(IssueCodes.JAVA_KEYWORD)
    public void renameJavaKeyword(DiagnosticResolutionAcceptor acceptor) {
        acceptor.accept("Rename to a name that is no keyword", rename());
    }

    private ITextModification rename() {
        return (diagnostic, element, document) -> {
            String name = document.getSubstring(diagnostic.getRange());
            return List.of(new TextEdit(diagnostic.getRange(), Keywords.escape(name)));
        };
    }

    @QuickFix(IssueCodes.MISSING_DOC)
    public void addDoc(DiagnosticResolutionAcceptor acceptor) {
        acceptor.accept("Add a doc comment", (ITextModification) (diagnostic, element, document) -> {
            String name = document.getSubstring(diagnostic.getRange());
            return insertBefore(element, document, "/** Describe " + name + " in the spec's terms. */");
        });
    }

    @QuickFix(IssueCodes.MISSING_ACCESS)
    public void markReadable(DiagnosticResolutionAcceptor acceptor) {
        acceptor.accept("Mark as device-readable", (ITextModification) (d, e, doc) -> prefix(e, doc, "readable "));
        acceptor.accept("Mark as device-writable", (ITextModification) (d, e, doc) -> prefix(e, doc, "writable "));
    }

    private static List<TextEdit> prefix(EObject element, Document document, String text) {
        ICompositeNode node = NodeModelUtils.findActualNodeFor(element);
        if (node == null) {
            return List.of();
        }
        Position at = document.getPosition(node.getOffset());
        return List.of(new TextEdit(new Range(at, at), text));
    }

    /** Inserts a line above the element, indented like it. */
    private static List<TextEdit> insertBefore(EObject element, Document document, String line) {
        ICompositeNode node = NodeModelUtils.findActualNodeFor(element);
        if (node == null) {
            return List.of();
        }
        Position start = document.getPosition(node.getOffset());
        Position lineStart = new Position(start.getLine(), 0);
        String indent = document.getSubstring(new Range(lineStart, start));
        if (!indent.isBlank()) {
            // The element shares its line with other text: put the comment right before it.
            return List.of(new TextEdit(new Range(start, start), line + " "));
        }
        return List.of(new TextEdit(new Range(lineStart, lineStart), indent + line + "\n"));
    }
}
