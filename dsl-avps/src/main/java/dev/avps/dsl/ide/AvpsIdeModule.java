package dev.avps.dsl.ide;

import dev.avps.dsl.ide.contentassist.AvpsContentProposals;
import dev.avps.dsl.ide.hover.AvpsHoverService;
import dev.avps.dsl.ide.quickfix.AvpsQuickfixProvider;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.ide.server.codeActions.QuickFixCodeActionService;
import org.eclipse.xtext.ide.server.hover.IHoverService;

/** Editor services of the language server: quick fixes, layout-aware hover, import completion, LSP positions. */
public class AvpsIdeModule extends AbstractAvpsIdeModule {

    public Class<? extends ICodeActionService2> bindICodeActionService2() {
        return QuickFixCodeActionService.class;
    }

    public Class<? extends IQuickFixProvider> bindIQuickFixProvider() {
        return AvpsQuickfixProvider.class;
    }

    public Class<? extends IHoverService> bindIHoverService() {
        return AvpsHoverService.class;
    }

    /** Result positions with LSP's line ends (a lone CR is one), see {@link LspLines}. */
    public Class<? extends DocumentExtensions> bindDocumentExtensions() {
        return AvpsDocumentExtensions.class;
    }

    public Class<? extends IdeContentProposalProvider> bindIdeContentProposalProvider() {
        return AvpsContentProposals.class;
    }
}
