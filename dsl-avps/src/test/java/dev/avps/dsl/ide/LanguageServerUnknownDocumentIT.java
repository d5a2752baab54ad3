package dev.avps.dsl.ide;

import static dev.avps.dsl.ide.RawLspClient.frame;
import static dev.avps.dsl.ide.RawLspClient.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: a request about a document the server has never seen (not opened, not in the
 * workspace) made Xtext try to load it and answer "internal error" (-32603). It is the client's
 * mistake, so the answer is "invalid params" (-32602) naming the document, for every kind of
 * request about one document, and nothing lands on stderr. A workspace file that is merely not
 * open still gets its answers.
 */
class LanguageServerUnknownDocumentIT {

    @TempDir
    Path workspace;

    @Test
    void requestsAboutAnUnknownDocumentAreInvalidParams() throws Exception {
        Path known = workspace.resolve("known.avps");
        Files.writeString(known, "package known;\ndevice k {\n  id 9;\n  spec \"1.4\";\n}\n");
        String unknown = workspace.resolve("never-opened.avps").toUri().toString();
        String elsewhere = "file:///no/such/dir/ghost.avps";
        String position = ",\"position\":{\"line\":0,\"character\":0}";
        String[][] requests = {
            {"textDocument/hover", position},
            {"textDocument/completion", position},
            {"textDocument/definition", position},
            {"textDocument/references", position + ",\"context\":{\"includeDeclaration\":true}"},
            {"textDocument/documentSymbol", ""},
            {"textDocument/formatting", ",\"options\":{\"tabSize\":2,\"insertSpaces\":true}"},
            {"textDocument/codeAction", ",\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,"
                    + "\"character\":0}},\"context\":{\"diagnostics\":[]}"},
            {"textDocument/rename", position + ",\"newName\":\"x\""},
        };
        try (RawLspClient server = new RawLspClient(Path.of("target/lsp-unknown-document-it.log"))) {
            server.initialize(workspace);
            int id = 10;
            for (String uri : new String[] {unknown, elsewhere}) {
                for (String[] r : requests) {
                    server.send(frame(request(id, r[0], "{\"textDocument\":{\"uri\":\"" + uri + "\"}" + r[1] + "}")));
                    JsonObject answer = server.response(id, 60);
                    assertTrue(answer.has("error"), r[0] + ": " + answer);
                    JsonObject error = answer.getAsJsonObject("error");
                    assertEquals(-32602, error.get("code").getAsInt(), r[0] + ": " + error);
                    String message = error.get("message").getAsString();
                    assertTrue(message.contains(uri) && message.contains("unknown document"),
                            r[0] + ": " + message);
                    assertFalse(error.has("data") && error.get("data").toString().contains("\\tat "), error.toString());
                    id++;
                }
            }
            // A workspace file nobody opened is known: it was indexed at start-up.
            server.send(frame(request(100, "textDocument/documentSymbol", "{\"textDocument\":{\"uri\":\""
                    + known.toUri() + "\"}}")));
            JsonObject symbols = server.response(100, 60);
            assertTrue(symbols.has("result") && symbols.get("result").toString().contains("\"known.k\""), symbols.toString());

            server.send(frame(request(101, "shutdown", null)));
            server.response(101, 30);
            server.closeInput();
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS));
            String err = server.stderrText();
            assertFalse(err.contains("\tat "), "no stack trace on stderr:\n" + err);
            assertFalse(err.contains("never-opened") || err.contains("ghost"), "a client's mistake is no server failure:\n" + err);
        }
    }
}
