package dev.avps.dsl.ide.contentassist;

import com.google.inject.Inject;
import dev.avps.dsl.services.AvpsGrammarAccess;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IIdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescription;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsProvider;

/**
 * Completion beyond what the grammar gives for free: after `import`, every package known to
 * the index, as a wildcard import.
 */
public class AvpsContentProposals extends IdeContentProposalProvider {

    @Inject
    private AvpsGrammarAccess grammar;

    @Inject
    private ResourceDescriptionsProvider index;

    @Override
    protected void _createProposals(Assignment assignment, ContentAssistContext context,
            IIdeContentProposalAcceptor acceptor) {
        if (assignment == grammar.getImportAccess().getImportedNamespaceAssignment_1()) {
            IResourceDescriptions all = index.getResourceDescriptions(context.getResource());
            Set<String> packages = new TreeSet<>();
            for (IResourceDescription rd : all.getAllResourceDescriptions()) {
                for (IEObjectDescription d : rd.getExportedObjects()) {
                    QualifiedName q = d.getQualifiedName();
                    if (q.getSegmentCount() > 1) {
                        packages.add(q.skipLast(1).toString() + ".*");
                    }
                }
            }
            for (String p : packages) {
                if (p.startsWith(context.getPrefix())) {
                    ContentAssistEntry e = new ContentAssistEntry();
                    e.setPrefix(context.getPrefix());
                    e.setProposal(p);
                    e.setKind(ContentAssistEntry.KIND_MODULE);
                    acceptor.accept(e, getProposalPriorities().getDefaultPriority(e));
                }
            }
            return;
        }
        super._createProposals(assignment, context, acceptor);
    }
}
