package dev.avps.dsl.ide;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.resource.IResourceServiceProvider;

/**
 * Xtext's server with two changes. Documents over {@link DocumentSizeGuard#MAX_CHARS} characters
 * are refused with a diagnostic and a message instead of being parsed, and editor features answer
 * empty for them. And a missing root URI falls back: Xtext takes its workspace from the deprecated
 * rootUri/rootPath; newer clients may send only workspace folders, and a single-file client
 * neither, so the first folder is used, then the working directory.
 */
public class AvpsLanguageServerImpl extends LanguageServerImpl {

    private final DocumentSizeGuard sizes = new DocumentSizeGuard();
    @Inject
    private UriExtensions uriExtensions;
    private volatile boolean shutdownRequested;

    @Override
    protected URI getBaseDir(InitializeParams params) {
        if (params.getRootUri() != null || params.getRootPath() != null) {
            return super.getBaseDir(params);
        }
        List<WorkspaceFolder> folders = params.getWorkspaceFolders();
        if (folders != null && !folders.isEmpty() && folders.get(0).getUri() != null) {
            params.setRootUri(folders.get(0).getUri());
        } else {
            params.setRootUri(Path.of("").toAbsolutePath().toUri().toString());
        }
        return super.getBaseDir(params);
    }

    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
        TextDocumentItem doc = params.getTextDocument();
        String text = doc.getText() == null ? "" : doc.getText();
        if (sizes.open(key(doc.getUri()), doc.getVersion(), text)) {
            super.didOpen(params);
        } else {
            announceRefusal(doc.getUri(), text.length());
        }
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        int version = params.getTextDocument().getVersion() == null ? 0 : params.getTextDocument().getVersion();
        boolean wasRefused = sizes.isRefused(key(uri));
        int length = sizes.change(key(uri), version, params.getContentChanges());
        if (wasRefused) {
            if (length >= 0) {
                // A whole new text: the document gets a fresh chance, as if just opened.
                String text = params.getContentChanges().get(params.getContentChanges().size() - 1).getText();
                didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "avps", version, text)));
            }
            return;
        }
        if (length > DocumentSizeGuard.MAX_CHARS) {
            sizes.refuse(key(uri));
            super.didClose(new DidCloseTextDocumentParams(params.getTextDocument()));
            announceRefusal(uri, length);
            return;
        }
        super.didChange(params);
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
        if (sizes.close(key(params.getTextDocument().getUri()))) {
            getLanguageClient().publishDiagnostics(new PublishDiagnosticsParams(params.getTextDocument().getUri(), List.of()));
            return;
        }
        super.didClose(params);
    }

    /** No language services for a refused document, so no feature loads it from disk either. */
    @Override
    protected IResourceServiceProvider getResourceServiceProvider(URI uri) {
        if (sizes.isRefused(uri.toString())) {
            return null;
        }
        return super.getResourceServiceProvider(uri);
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdownRequested = true;
        return super.shutdown();
    }

    /** Whether the client asked for shutdown: a session ended without it is not a clean one. */
    public boolean shutdownRequested() {
        return shutdownRequested;
    }

    /** Clients spell file URIs in more than one way; Xtext's normal form is the key. */
    private String key(String uri) {
        return uriExtensions.toUri(uri).toString();
    }

    private void announceRefusal(String uri, int length) {
        String why = "This file has " + length + " characters; the AVPS language server checks files of up to "
                + DocumentSizeGuard.MAX_CHARS + " characters (1 MiB) and does not check, complete or navigate it.";
        Diagnostic d = new Diagnostic(new Range(new Position(0, 0), new Position(0, 0)), why, DiagnosticSeverity.Error,
                "avps");
        getLanguageClient().publishDiagnostics(new PublishDiagnosticsParams(uri, List.of(d)));
        getLanguageClient().showMessage(new MessageParams(MessageType.Warning, uri + ": " + why));
    }
}
