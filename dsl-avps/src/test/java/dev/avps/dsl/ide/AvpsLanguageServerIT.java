package dev.avps.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real LSP client (lsp4j) drives the packaged server jar over its stdin/stdout, the way an
 * editor does: diagnostics, quick fix, completion, hover, navigation, symbols, formatting, rename.
 */
class AvpsLanguageServerIT {

    static final Path JAR = Path.of("target/avps-language-server.jar");

    @TempDir
    static Path workspace;

    static Process process;
    static LanguageServer server;
    static final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();

    static final String SHARED = """
            package lib;
            /** A header shared by devices. */
            struct hdr {
                le32 type;
                le32 len;
            }
            """;

    static final String DEVICE = String.join("\n",
            "package demo;",
            "import lib.*;",
            "/** Demo device. */",
            "device demo {",
            "    id 4242;",
            "    spec \"1.4\";",
            "    features {",
            "        /** Multiqueue. */ bit 1 MQ;",
            "    }",
            "    /** Config. */",
            "    config cfg {",
            "        le16 default;",
            "        le32 size_max when MQ;",
            "        hdr last;",
            "    }",
            "}",
            "");

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.exists(JAR), "run after package: " + JAR.toAbsolutePath());
        Files.writeString(workspace.resolve("lib.avps"), SHARED);
        Files.writeString(workspace.resolve("demo.avps"), DEVICE);
        process = new ProcessBuilder("java", "-jar", JAR.toString()).redirectError(Path.of("target/language-server-it.log").toFile())
                .start();
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(new Client(), process.getInputStream(),
                process.getOutputStream());
        launcher.startListening();
        server = launcher.getRemoteProxy();
        InitializeParams init = new InitializeParams();
        init.setProcessId((int) ProcessHandle.current().pid());
        init.setRootUri(workspace.toUri().toString());
        init.setWorkspaceFolders(List.of(new WorkspaceFolder(workspace.toUri().toString(), "ws")));
        init.setCapabilities(new ClientCapabilities());
        InitializeResult result = server.initialize(init).get(60, TimeUnit.SECONDS);
        assertNotNull(result.getCapabilities().getHoverProvider());
        server.initialized(new InitializedParams());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.shutdown().get(30, TimeUnit.SECONDS);
            server.exit();
        }
        if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static String uri(String name) {
        return workspace.resolve(name).toUri().toString();
    }

    static void open(String name, String text) {
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                new TextDocumentItem(uri(name), "avps", 1, text)));
    }

    static List<Diagnostic> diagnosticsFor(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams p = diagnostics.poll(1, TimeUnit.SECONDS);
            if (p != null && p.getUri().equals(uri(name)) && !p.getDiagnostics().isEmpty()) {
                return p.getDiagnostics();
            }
        }
        throw new AssertionError("no diagnostics for " + name);
    }

    @Test
    void diagnosticQuickFixCompletionHoverAndNavigation() throws Exception {
        open("demo.avps", DEVICE);
        List<Diagnostic> ds = diagnosticsFor("demo.avps");
        Diagnostic keyword = ds.stream().filter(d -> message(d).contains("C keyword")).findFirst().orElseThrow();
        // `default` on line 12 (0-based 11), columns 13..20
        assertEquals(11, keyword.getRange().getStart().getLine());
        assertEquals(13, keyword.getRange().getStart().getCharacter());
        assertEquals(20, keyword.getRange().getEnd().getCharacter());

        // quick fix: rename the keyword
        CodeActionParams cap = new CodeActionParams(new TextDocumentIdentifier(uri("demo.avps")), keyword.getRange(),
                new CodeActionContext(List.of(keyword)));
        List<Either<Command, CodeAction>> actions = server.getTextDocumentService().codeAction(cap)
                .get(30, TimeUnit.SECONDS);
        CodeAction fix = actions.stream().filter(Either::isRight).map(Either::getRight).findFirst().orElseThrow();
        List<TextEdit> edits = editsOf(fix.getEdit(), uri("demo.avps"));
        assertEquals("default_", edits.get(0).getNewText());
        assertEquals(keyword.getRange(), edits.get(0).getRange());

        // completion of a feature name after `when`
        CompletionParams cp = new CompletionParams(new TextDocumentIdentifier(uri("demo.avps")), new Position(12, 29));
        Either<List<CompletionItem>, CompletionList> completion = server.getTextDocumentService().completion(cp)
                .get(30, TimeUnit.SECONDS);
        List<String> labels = (completion.isLeft() ? completion.getLeft() : completion.getRight().getItems()).stream()
                .map(CompletionItem::getLabel).collect(Collectors.toList());
        assertTrue(labels.contains("MQ"), labels.toString());

        // hover on a field shows its resolved layout
        Hover hover = server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri("demo.avps")),
                new Position(12, 16))).get(30, TimeUnit.SECONDS);
        String text = hover.getContents().getRight().getValue();
        assertTrue(text.contains("Offset 2, 4 bytes, little-endian (le32), present when MQ"), text);

        // go to definition of the imported struct type, in another file
        Either<List<? extends Location>, List<? extends LocationLink>> def = server.getTextDocumentService()
                .definition(new DefinitionParams(new TextDocumentIdentifier(uri("demo.avps")), new Position(13, 9)))
                .get(30, TimeUnit.SECONDS);
        Location target = def.getLeft().get(0);
        assertEquals(uri("lib.avps"), target.getUri());
        assertEquals(2, target.getRange().getStart().getLine());

        // references to the shared struct, from its declaration
        List<? extends Location> refs = server.getTextDocumentService().references(new ReferenceParams(
                new TextDocumentIdentifier(uri("lib.avps")), new Position(2, 8), new ReferenceContext(false)))
                .get(30, TimeUnit.SECONDS);
        assertEquals(1, refs.size());
        assertEquals(uri("demo.avps"), refs.get(0).getUri());

        // outline
        List<Either<SymbolInformation, DocumentSymbol>> symbols = server.getTextDocumentService()
                .documentSymbol(new DocumentSymbolParams(new TextDocumentIdentifier(uri("demo.avps"))))
                .get(30, TimeUnit.SECONDS);
        assertFalse(symbols.isEmpty());
        String names = symbols.stream().map(e -> e.isLeft() ? e.getLeft().getName() : e.getRight().getName())
                .collect(Collectors.joining(","));
        assertTrue(names.contains("demo"), names);

        // formatting produces edits for a badly spaced line
        List<? extends TextEdit> fmt = server.getTextDocumentService().formatting(new DocumentFormattingParams(
                new TextDocumentIdentifier(uri("demo.avps")), new FormattingOptions(4, false)))
                .get(30, TimeUnit.SECONDS);
        assertFalse(fmt.isEmpty(), "four-space indentation is reformatted to tabs");

        // rename the feature: the declaration and the `when` use change together
        WorkspaceEdit rename = server.getTextDocumentService().rename(new RenameParams(
                new TextDocumentIdentifier(uri("demo.avps")), new Position(7, 33), "MULTIQUEUE")).get(30, TimeUnit.SECONDS);
        List<TextEdit> renames = editsOf(rename, uri("demo.avps"));
        assertEquals(2, renames.size(), renames.toString());
        assertTrue(renames.stream().allMatch(e -> e.getNewText().equals("MULTIQUEUE")));
    }

    static String message(Diagnostic d) {
        return d.getMessage().isLeft() ? d.getMessage().getLeft() : d.getMessage().getRight().getValue();
    }

    /** The edits for one file, whichever of the two shapes the server chose. */
    static List<TextEdit> editsOf(WorkspaceEdit edit, String uri) {
        if (edit.getChanges() != null && edit.getChanges().get(uri) != null) {
            return edit.getChanges().get(uri);
        }
        return edit.getDocumentChanges().stream().filter(Either::isLeft).map(Either::getLeft)
                .filter(d -> d.getTextDocument().getUri().equals(uri))
                .flatMap(d -> d.getEdits().stream()).filter(Either::isLeft).map(Either::getLeft)
                .collect(Collectors.toList());
    }

    /** Clients that send only workspace folders, or nothing, still get an initialized server. */
    @Test
    void initializeWithoutRootUri() throws Exception {
        for (boolean withFolder : new boolean[] {true, false}) {
            Process p = new ProcessBuilder("java", "-jar", JAR.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Launcher<LanguageServer> l = LSPLauncher.createClientLauncher(new Client(), p.getInputStream(),
                        p.getOutputStream());
                l.startListening();
                InitializeParams init = new InitializeParams();
                init.setCapabilities(new ClientCapabilities());
                if (withFolder) {
                    init.setWorkspaceFolders(List.of(new WorkspaceFolder(workspace.toUri().toString(), "ws")));
                }
                InitializeResult r = l.getRemoteProxy().initialize(init).get(60, TimeUnit.SECONDS);
                assertNotNull(r.getCapabilities().getCompletionProvider(), "initialized with folder=" + withFolder);
                l.getRemoteProxy().shutdown().get(30, TimeUnit.SECONDS);
                l.getRemoteProxy().exit();
            } finally {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    static final class Client implements LanguageClient {
        @Override
        public void telemetryEvent(Object object) {
        }

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams d) {
            diagnostics.add(d);
        }

        @Override
        public void showMessage(MessageParams messageParams) {
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams message) {
        }
    }
}
