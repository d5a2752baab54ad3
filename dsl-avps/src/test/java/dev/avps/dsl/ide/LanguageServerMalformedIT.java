package dev.avps.dsl.ide;

import static dev.avps.dsl.ide.RawLspClient.frame;
import static dev.avps.dsl.ide.RawLspClient.notification;
import static dev.avps.dsl.ide.RawLspClient.probe;
import static dev.avps.dsl.ide.RawLspClient.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 13: malformed requests used to come back as internal errors with Java stack
 * traces on stderr, and a 10 MB didOpen took 40 s and 1.8 GB. Each malformed request must get its
 * JSON-RPC error code; a document over the size limit is refused with a diagnostic naming the
 * limit, and the server keeps answering; stderr never shows a stack trace.
 */
class LanguageServerMalformedIT {

    @TempDir
    static Path workspace;
    static RawLspClient server;

    @BeforeAll
    static void start() throws Exception {
        server = new RawLspClient(Path.of("target/lsp-malformed-it.log"));
        server.initialize(workspace);
    }

    @AfterAll
    static void stop() throws Exception {
        server.send(frame(request(2, "shutdown", null)));
        server.response(2, 30);
        server.closeInput();
        assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "end of input ends the server");
        assertEquals(0, server.process.exitValue(), "shutdown came before the end of input");
        String err = server.stderrText();
        assertFalse(err.contains("\tat "), "no stack trace on stderr:\n" + err);
        assertFalse(err.contains("Exception in thread"), err);
        server.close();
    }

    static JsonObject error(String body, int id) throws Exception {
        server.send(frame(body));
        JsonObject answer = server.response(id, 60);
        assertTrue(answer.has("error"), answer.toString());
        return answer.getAsJsonObject("error");
    }

    static int code(JsonObject error) {
        return error.get("code").getAsInt();
    }

    @Test
    void paramsOfTheWrongType() throws Exception {
        JsonObject e = error(request(10, "textDocument/hover",
                "{\"textDocument\":5,\"position\":{\"line\":0,\"character\":0}}"), 10);
        assertEquals(-32602, code(e), e.toString());
        assertFalse(e.has("data") && e.get("data").toString().contains("\\tat "), "no stack trace in the answer");
        assertEquals(-32602, code(error(request(11, "textDocument/hover", "[1,2,3]"), 11)));
        assertEquals(-32602, code(error(request(12, "textDocument/completion",
                "{\"textDocument\":{\"uri\":\"file:///x.avps\"},\"position\":{\"line\":\"zero\",\"character\":0}}"), 12)));
    }

    @Test
    void missingFieldsAndMissingParams() throws Exception {
        assertEquals(-32602, code(error(request(20, "textDocument/hover", "{\"textDocument\":{\"uri\":\"file:///x.avps\"}}"), 20)));
        assertEquals(-32602, code(error(request(21, "textDocument/hover", null), 21)));
        assertEquals(-32602, code(error(request(22, "textDocument/definition", "null"), 22)));
    }

    @Test
    void unknownMethods() throws Exception {
        assertEquals(-32601, code(error(request(30, "avps/noSuchThing", "{}"), 30)));
        assertEquals(-32601, code(error(request(31, "$/noSuchThing", "{}"), 31)));
        // A request for a method only the client implements is unknown here too.
        assertEquals(-32601, code(error(request(32, "workspace/applyEdit", "{}"), 32)));
        server.send(frame(notification("avps/noSuchNotification", "{}")));
        server.send(frame(probe(33)));
        assertTrue(server.response(33, 60).has("result"), "an unknown notification is dropped, not fatal");
    }

    @Test
    void invalidEnvelopes() throws Exception {
        server.send(frame("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"workspace/symbol\",\"params\":{\"query\":\"\"}}"));
        JsonObject nullId = server.await(m -> m.has("error") && m.get("id").isJsonNull()
                && m.getAsJsonObject("error").get("message").getAsString().contains("1.5"), 30, "an answer with null id");
        assertEquals(-32600, code(nullId.getAsJsonObject("error")));
        assertEquals(-32600, code(error("{\"jsonrpc\":\"1.0\",\"id\":40,\"method\":\"workspace/symbol\",\"params\":{}}", 40)));
        assertEquals(-32700, code(error("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"workspace/symbol\",\"params\":{\"query\" \"x\"}}", 41)));
        server.send(frame("[" + probe(42) + "]"));
        JsonObject batch = server.await(m -> m.has("error") && m.get("id").isJsonNull()
                && m.getAsJsonObject("error").get("code").equals(new JsonPrimitive(-32600))
                && m.getAsJsonObject("error").get("message").getAsString().contains("object"), 30, "a batch refused");
        assertTrue(batch.has("error"));
        server.send(frame(probe(43)));
        assertTrue(server.response(43, 60).has("result"));
    }

    @Test
    void brokenResponsesFromTheClientAreNotAnswered() throws Exception {
        // An error carrying the id of a client's response would look like the answer to one of its own requests.
        server.send(frame("{\"jsonrpc\":\"1.0\",\"id\":60,\"result\":null}"));
        server.send(frame("{\"jsonrpc\":\"2.0\",\"id\":61,\"result\":" + "[".repeat(200) + "]".repeat(200) + "}"));
        server.send(frame(probe(62)));
        assertTrue(server.response(62, 60).has("result"));
        assertFalse(server.received().stream().anyMatch(m -> m.has("id") && m.get("id").isJsonPrimitive()
                && (m.get("id").getAsInt() == 60 || m.get("id").getAsInt() == 61)), "no answer to a response");
    }

    @Test
    void documentOverTheLimitIsRefusedAndTheServerGoesOn() throws Exception {
        String uri = workspace.resolve("big.avps").toUri().toString();
        String text = "package big;\n" + "// filler filler filler filler filler filler filler filler\n".repeat(200_000);
        assertTrue(text.length() > DocumentSizeGuard.MAX_CHARS);
        server.send(frame(notification("textDocument/didOpen", "{\"textDocument\":{\"uri\":\"" + uri
                + "\",\"languageId\":\"avps\",\"version\":1,\"text\":\"" + text.replace("\n", "\\n") + "\"}}")));
        JsonObject refused = diagnosticsFor(uri, "1048576");
        assertTrue(refused.toString().contains(Integer.toString(text.length())), refused.toString());
        server.await(m -> "window/showMessage".equals(str(m, "method")) && m.toString().contains("1048576"), 30,
                "a message naming the limit");
        // Editor features answer, empty, for the refused document instead of loading it.
        server.send(frame(request(50, "textDocument/documentSymbol", "{\"textDocument\":{\"uri\":\"" + uri + "\"}}")));
        assertEquals("[]", server.response(50, 60).get("result").toString());

        // A whole new text under the limit brings it back into checking.
        server.send(frame(notification("textDocument/didChange", "{\"textDocument\":{\"uri\":\"" + uri
                + "\",\"version\":2},\"contentChanges\":[{\"text\":\"package big;\\ndevice d {\\n}\\n\"}]}")));
        server.await(m -> isDiagnosticsFor(m, uri) && !m.toString().contains("1048576"), 120,
                "diagnostics of the checked text");

        // Growing an open document past the limit refuses it as well.
        String grow = "// filler filler filler filler filler filler filler filler\\n".repeat(20_000);
        server.send(frame(notification("textDocument/didChange", "{\"textDocument\":{\"uri\":\"" + uri
                + "\",\"version\":3},\"contentChanges\":[{\"range\":{\"start\":{\"line\":1,\"character\":0},"
                + "\"end\":{\"line\":1,\"character\":0}},\"text\":\"" + grow + "\"}]}")));
        diagnosticsFor(uri, "1048576");
    }

    @Test
    void normalDocumentStillGetsItsDiagnostics() throws Exception {
        String uri = workspace.resolve("small.avps").toUri().toString();
        server.send(frame(notification("textDocument/didOpen", "{\"textDocument\":{\"uri\":\"" + uri
                + "\",\"languageId\":\"avps\",\"version\":1,\"text\":\"package small;\\ndevice s {\\n}\\n\"}}")));
        server.await(m -> isDiagnosticsFor(m, uri), 120, "first diagnostics for " + uri);
    }

    /** The first diagnostics for uri whose text contains the given fragment. */
    static JsonObject diagnosticsFor(String uri, String fragment) throws InterruptedException {
        return server.await(m -> isDiagnosticsFor(m, uri) && m.getAsJsonObject("params").get("diagnostics").toString().contains(fragment), 120,
                "diagnostics for " + uri + " mentioning " + fragment);
    }

    static boolean isDiagnosticsFor(JsonObject m, String uri) {
        return "textDocument/publishDiagnostics".equals(str(m, "method"))
                && uri.equals(m.getAsJsonObject("params").get("uri").getAsString());
    }

    static String str(JsonObject m, String key) {
        return m.has(key) && m.get(key).isJsonPrimitive() ? m.get(key).getAsString() : null;
    }
}
