package dev.avps.dsl.formatting2;

import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.UnionCase;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.formatting2.AbstractFormatter2;
import java.util.regex.Pattern;
import org.eclipse.xtext.formatting2.IFormattableDocument;
import org.eclipse.xtext.formatting2.ITextReplacer;
import org.eclipse.xtext.formatting2.ITextReplacerContext;
import org.eclipse.xtext.formatting2.regionaccess.ITextSegment;
import org.eclipse.xtext.formatting2.regionaccess.IEObjectRegion;
import org.eclipse.xtext.formatting2.regionaccess.IHiddenRegion;
import org.eclipse.xtext.formatting2.regionaccess.ISemanticRegion;
import org.eclipse.xtext.resource.XtextResource;

/**
 * The canonical layout of a spec: one statement per line, blocks indented by a tab, single spaces
 * between words, none inside brackets, and one blank line allowed between elements.
 *
 * <p>The language is regular enough that its layout follows the punctuation, so the formatter
 * walks the tokens once instead of matching each grammar rule.
 */
public class AvpsFormatter extends AbstractFormatter2 {

    @Override
    public void format(Object obj, IFormattableDocument doc) {
        if (obj instanceof XtextResource r && !r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
            formatModel(m, doc);
        } else if (obj instanceof Model m) {
            formatModel(m, doc);
        }
    }

    private void formatModel(Model model, IFormattableDocument doc) {
        IEObjectRegion root = getTextRegionAccess().regionForEObject(model);
        if (root == null) {
            return;
        }
        Deque<ISemanticRegion> open = new ArrayDeque<>();
        for (ISemanticRegion r : root.getAllSemanticRegions()) {
            doc.append(r, f -> {
                f.oneSpace();
                f.lowPriority();
            });
            if (DOTTED_WITH_SPACES.matcher(r.getText()).matches()) {
                squeeze(r, doc);
            }
            switch (r.getText()) {
                case ";" -> {
                    doc.prepend(r, f -> f.noSpace());
                    doc.append(r, f -> f.newLine());
                }
                case "{" -> {
                    open.push(r);
                    doc.append(r, f -> f.newLine());
                }
                case "}" -> {
                    if (!open.isEmpty()) {
                        doc.interior(open.pop(), r, f -> f.indent());
                    }
                    doc.prepend(r, f -> f.newLine());
                    doc.append(r, f -> f.newLine());
                }
                case "," -> doc.prepend(r, f -> f.noSpace());
                case "[", "(" -> {
                    if (r.getText().equals("[")) {
                        doc.prepend(r, f -> f.noSpace());
                    }
                    doc.append(r, f -> f.noSpace());
                }
                case "]", ")" -> doc.prepend(r, f -> f.noSpace());
                case ".", "..", ".*" -> {
                    doc.prepend(r, f -> f.noSpace());
                    if (!r.getText().equals(".*")) {
                        doc.append(r, f -> f.noSpace());
                    }
                }
                case "!" -> doc.append(r, f -> f.noSpace());
                case ":" -> {
                    if (r.getSemanticElement() instanceof UnionCase) {
                        doc.prepend(r, f -> f.noSpace());
                        doc.append(r, f -> f.newLine());
                    }
                }
                default -> {
                }
            }
        }
        separate(model.getElements(), doc);
        for (EObject e : model.getElements()) {
            if (e instanceof Device d) {
                separate(d.getMembers(), doc);
            }
        }
    }

    /** A qualified name is one token to the formatter; spaces typed inside it are removed here. */
    private static final Pattern DOTTED_WITH_SPACES =
            Pattern.compile("(?=.*\\s)[\\w$^]+(\\s*\\.\\s*[\\w$^*]+)+", Pattern.DOTALL);

    private static void squeeze(ISemanticRegion r, IFormattableDocument doc) {
        doc.addReplacer(new ITextReplacer() {
            @Override
            public ITextSegment getRegion() {
                return r;
            }

            @Override
            public ITextReplacerContext createReplacements(ITextReplacerContext context) {
                context.addReplacement(r.replaceWith(r.getText().replaceAll("\\s+", "")));
                return context;
            }
        });
    }

    /** Each element on its own line, keeping at most one blank line the author put between them. */
    private void separate(List<? extends EObject> elements, IFormattableDocument doc) {
        for (int i = 0; i < elements.size(); i++) {
            IEObjectRegion region = getTextRegionAccess().regionForEObject(elements.get(i));
            if (region == null) {
                continue;
            }
            IHiddenRegion before = region.getPreviousHiddenRegion();
            doc.set(before, f -> {
                f.setNewLines(1, 1, 2);
                f.highPriority();
            });
        }
    }
}
