package dev.avps.dsl.ide;

import static dev.avps.dsl.ide.RawLspClient.frame;
import static dev.avps.dsl.ide.RawLspClient.notification;
import static dev.avps.dsl.ide.RawLspClient.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: LSP 3.17 ends a line at "\n", "\r\n" or a lone "\r", but Xtext counts only "\n". With
 * lone CRs in a document, the server put diagnostics lines too high, read a client's positions as
 * other text, and placed definitions wrongly. (The checker, {@code avps check}, counts as its lexer
 * does, lone CR no line end: SingleLineDiagnosticsTest and LoneCarriageReturnLocationsTest.)
 */
class LanguageServerLoneCrIT {

    @TempDir
    Path workspace;

    // LSP lines: 0 package, 1 struct s, 2 le32 a, 3 }, 4 struct t, 5 s inner, 6 le32 int (a C keyword), 7 }
    static final String TEXT = "package p;\rstruct s {\n le32 a;\n}\rstruct t {\n s inner;\n le32 int;\n}\n";

    @Test
    void positionsCountALoneCrAsALineEnd() throws Exception {
        String uri = workspace.resolve("cr.avps").toUri().toString();
        try (RawLspClient server = new RawLspClient(Path.of("target/lsp-lone-cr-it.log"))) {
            server.initialize(workspace);
            server.send(frame(notification("textDocument/didOpen", "{\"textDocument\":{\"uri\":\"" + uri
                    + "\",\"languageId\":\"avps\",\"version\":1,\"text\":" + json(TEXT) + "}}")));
            JsonObject published = server.await(m -> LanguageServerMalformedIT.isDiagnosticsFor(m, uri)
                    && m.toString().contains("C keyword"), 120, "the C keyword finding");
            JsonObject keyword = first(published, "C keyword");
            assertEquals(position(6, 6), keyword.getAsJsonObject("range").getAsJsonObject("start"), keyword.toString());
            assertEquals(position(6, 9), keyword.getAsJsonObject("range").getAsJsonObject("end"), keyword.toString());

            // A client's position after the lone CRs: the reference to s on line 5 leads to line 1.
            server.send(frame(request(5, "textDocument/definition", "{\"textDocument\":{\"uri\":\"" + uri
                    + "\"},\"position\":{\"line\":5,\"character\":1}}")));
            JsonObject definition = server.response(5, 60);
            JsonArray targets = definition.getAsJsonArray("result");
            assertEquals(1, targets.size(), definition.toString());
            assertEquals(position(1, 7), targets.get(0).getAsJsonObject().getAsJsonObject("range").getAsJsonObject("start"),
                    definition.toString());

            // Symbols: struct t starts on line 4.
            server.send(frame(request(6, "textDocument/documentSymbol", "{\"textDocument\":{\"uri\":\"" + uri + "\"}}")));
            JsonObject symbols = server.response(6, 60);
            JsonObject t = symbol(symbols.getAsJsonArray("result"), "p.t");
            assertTrue(t != null, symbols.toString());
            JsonObject where = t.has("selectionRange") ? t.getAsJsonObject("selectionRange")
                    : t.getAsJsonObject("location").getAsJsonObject("range");
            assertEquals(4, where.getAsJsonObject("start").get("line").getAsInt(), t.toString());

            // An edit by range after the lone CRs: renaming the field 'int' to 'ok' clears the finding.
            server.send(frame(notification("textDocument/didChange", "{\"textDocument\":{\"uri\":\"" + uri
                    + "\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":{\"line\":6,\"character\":6},"
                    + "\"end\":{\"line\":6,\"character\":9}},\"text\":\"ok\"}]}")));
            JsonObject after = server.await(m -> LanguageServerMalformedIT.isDiagnosticsFor(m, uri)
                    && m != published && !m.toString().contains("C keyword"), 120, "diagnostics after the edit");
            for (var d : after.getAsJsonObject("params").getAsJsonArray("diagnostics")) {
                assertTrue(d.getAsJsonObject().get("severity").getAsInt() != 1, "no error after the edit: " + after);
            }
            server.send(frame(request(7, "textDocument/formatting", "{\"textDocument\":{\"uri\":\"" + uri
                    + "\"},\"options\":{\"tabSize\":2,\"insertSpaces\":true}}")));
            assertTrue(server.response(7, 60).has("result"));
            assertFalse(server.stderrText().contains("\tat "), server.stderrText());
        }
    }

    /** The symbol of this name, searched through the children too. */
    static JsonObject symbol(JsonArray symbols, String name) {
        for (var e : symbols) {
            JsonObject o = e.getAsJsonObject();
            if (name.equals(o.get("name").getAsString())) {
                return o;
            }
            JsonObject inner = o.has("children") ? symbol(o.getAsJsonArray("children"), name) : null;
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    static JsonObject position(int line, int character) {
        return JsonParser.parseString("{\"line\":" + line + ",\"character\":" + character + "}").getAsJsonObject();
    }

    static JsonObject first(JsonObject published, String fragment) {
        for (var d : published.getAsJsonObject("params").getAsJsonArray("diagnostics")) {
            if (d.getAsJsonObject().get("message").getAsString().contains(fragment)) {
                return d.getAsJsonObject();
            }
        }
        throw new AssertionError("no diagnostic with " + fragment + " in " + published);
    }

    static String json(String s) {
        return new com.google.gson.Gson().toJson(s);
    }
}
