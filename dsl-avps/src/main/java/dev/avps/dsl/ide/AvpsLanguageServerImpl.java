package dev.avps.dsl.ide;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
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
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.resource.IResourceServiceProvider;
import org.eclipse.xtext.validation.Issue;

/**
 * Xtext's server with these changes. Documents over {@link DocumentSizeGuard#MAX_CHARS} characters
 * are refused with a diagnostic and a message instead of being parsed, and editor features answer
 * empty for them (and for workspace files {@link AvpsProjectManager} left unread for their size).
 * A request about a document that is neither open nor in the workspace answers "invalid params"
 * naming it, where Xtext failed trying to load it. Diagnostics count lines as LSP does
 * ({@link LspLines}). And a missing root URI falls back: Xtext takes its workspace from the
 * deprecated rootUri/rootPath; newer clients may send only workspace folders, and a single-file
 * client neither, so the first folder is used, then the working directory.
 */
public class AvpsLanguageServerImpl extends LanguageServerImpl {

    private final DocumentSizeGuard sizes = new DocumentSizeGuard();
    @Inject
    private UriExtensions uriExtensions;
    @Inject
    private OversizedFiles oversized;
    /** The protocol's lines of the file whose diagnostics are being converted, if Xtext's differ. */
    private final ThreadLocal<LspLines> diagnosticLines = new ThreadLocal<>();
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

    /**
     * No language services for a refused document, so no feature loads it from disk either. Every
     * feature about one document asks here first, so this is also where a document the server
     * does not know is turned away: Xtext would try to load it, fail, and answer "internal error".
     */
    @Override
    protected IResourceServiceProvider getResourceServiceProvider(URI uri) {
        if (sizes.isRefused(uri.toString())
                || oversized.isSkipped(uri) && !getWorkspaceManager().isDocumentOpen(uri)) {
            return null;
        }
        IResourceServiceProvider provider = super.getResourceServiceProvider(uri);
        if (provider != null && !getWorkspaceManager().isDocumentOpen(uri)
                && getWorkspaceManager().getIndex().getResourceDescription(uri) == null) {
            throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, "unknown document "
                    + uriExtensions.toUriString(uri) + ": it is neither open in the editor nor a spec file of the workspace", null));
        }
        return provider;
    }

    @Override
    protected List<Diagnostic> toDiagnostics(Iterable<? extends Issue> issues) {
        Iterator<? extends Issue> first = issues.iterator();
        String text = first.hasNext() && first.next().getUriToProblem() != null
                ? textOf(issues.iterator().next().getUriToProblem().trimFragment()) : null;
        diagnosticLines.set(text != null && LspLines.hasLoneCr(text) ? new LspLines(text) : null);
        try {
            return super.toDiagnostics(issues);
        } finally {
            diagnosticLines.remove();
        }
    }

    /** Xtext's lines count only LF; when the text has a lone CR the range is recounted from the offset. */
    @Override
    protected Diagnostic toDiagnostic(Issue issue) {
        Diagnostic d = super.toDiagnostic(issue);
        LspLines lines = diagnosticLines.get();
        if (lines != null && issue.getOffset() != null && issue.getOffset() >= 0) {
            int length = issue.getLength() == null ? 0 : Math.max(0, issue.getLength());
            d.setRange(new Range(lines.position(issue.getOffset()), lines.position(issue.getOffset() + length)));
        }
        return d;
    }

    /** The text a file was checked from: the editor's if open, else the file's, if small enough to read. */
    private String textOf(URI uri) {
        if (getWorkspaceManager() instanceof AvpsWorkspaceManager w) {
            String open = w.openText(uri);
            if (open != null) {
                return open;
            }
        }
        if (!uri.isFile()) {
            return null;
        }
        try {
            Path p = Paths.get(uri.toFileString());
            return Files.size(p) <= DocumentSizeGuard.MAX_CHARS ? Files.readString(p, StandardCharsets.UTF_8) : null;
        } catch (IOException | RuntimeException e) {
            return null; // a file that cannot be read keeps Xtext's positions
        }
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
