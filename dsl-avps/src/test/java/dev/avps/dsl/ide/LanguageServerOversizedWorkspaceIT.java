package dev.avps.dsl.ide;

import static dev.avps.dsl.ide.RawLspClient.frame;
import static dev.avps.dsl.ide.RawLspClient.probe;
import static dev.avps.dsl.ide.RawLspClient.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the size guard covered only documents an editor sends; at start-up the server still
 * parsed every .avps file on disk in the workspace, however large. Here a 10 MB file and a 3 MB
 * file of valid declarations (under the checker's own 4 MiB limit, so the old server parsed and
 * validated it whole) sit beside a small spec with an error. The server runs on a 160 MB heap,
 * far below what parsing 3 MB takes: the small spec must still get its finding, each large file
 * the refusal naming its size and the limit, and the server must go on answering.
 */
class LanguageServerOversizedWorkspaceIT {

    @TempDir
    Path workspace;

    @Test
    void oversizedFilesOnDiskAreRefusedAndTheRestIsChecked() throws Exception {
        Path small = workspace.resolve("small.avps");
        Files.writeString(small, "package small;\ndevice s {\n  id 7;\n  spec \"1.4\";\n  const int : u9 = 1;\n}\n");
        Path huge = workspace.resolve("huge.avps");
        writeRepeated(huge, "package huge;\n", "// filler filler filler filler filler filler filler filler\n",
                10 * 1024 * 1024);
        Path big = workspace.resolve("sub/big.avps");
        Files.createDirectories(big.getParent());
        writeStructs(big, 3 * 1024 * 1024);
        long hugeSize = Files.size(huge);
        long bigSize = Files.size(big);
        assertTrue(bigSize > DocumentSizeGuard.MAX_CHARS && bigSize < 4L * 1024 * 1024, "between the two limits");

        try (RawLspClient server = new RawLspClient(Path.of("target/lsp-oversized-workspace-it.log"),
                List.of("-Xmx160m"))) {
            server.initialize(workspace);
            String smallUri = small.toUri().toString();
            JsonObject smallDiagnostics = server.await(m -> isDiagnosticsFor(m, small) && m.toString().contains("u9"),
                    180, "the small spec's finding");
            assertFalse(smallDiagnostics.toString().contains("too large"), smallDiagnostics.toString());
            for (Path p : List.of(huge, big)) {
                long size = Files.size(p);
                JsonObject refused = server.await(m -> isDiagnosticsFor(m, p)
                        && m.toString().contains("file too large: " + size + " bytes, limit " + DocumentSizeGuard.MAX_CHARS),
                        180, "the refusal of " + p.getFileName());
                assertEquals(1, refused.getAsJsonObject("params").getAsJsonArray("diagnostics").size(),
                        refused.toString().substring(0, Math.min(400, refused.toString().length())));
            }
            // Nothing of the large files was read: no other finding about them, and features answer empty.
            String bigUri = big.toUri().toString();
            server.send(frame(request(5, "textDocument/documentSymbol", "{\"textDocument\":{\"uri\":\"" + bigUri + "\"}}")));
            assertEquals("[]", server.response(5, 60).get("result").toString());
            server.send(frame(request(6, "textDocument/documentSymbol", "{\"textDocument\":{\"uri\":\"" + smallUri + "\"}}")));
            assertTrue(server.response(6, 60).get("result").toString().contains("\"small.s\""), "the small spec is indexed");
            server.send(frame(probe(7)));
            assertTrue(server.response(7, 60).has("result"));
            assertFalse(server.received().stream().anyMatch(m -> isDiagnosticsFor(m, big)
                    && !m.toString().contains("file too large")), "the large file was never checked");
            server.send(frame(request(8, "shutdown", null)));
            server.response(8, 30);
            server.closeInput();
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS));
            String err = server.stderrText();
            assertFalse(err.contains("OutOfMemoryError"), err);
            assertFalse(err.contains("\tat "), err);
            assertTrue(err.contains("file too large: " + hugeSize + " bytes"), "the refusal is logged too:\n" + err);
        }
    }

    static boolean isDiagnosticsFor(JsonObject m, Path file) {
        return "textDocument/publishDiagnostics".equals(m.has("method") ? m.get("method").getAsString() : null)
                && Path.of(java.net.URI.create(m.getAsJsonObject("params").get("uri").getAsString())).equals(file);
    }

    private static void writeRepeated(Path file, String head, String line, long bytes) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(head);
            for (long n = head.length(); n < bytes; n += line.length()) {
                w.write(line);
            }
        }
    }

    /** Valid, distinct declarations: the old server parsed, linked and validated every one. */
    private static void writeStructs(Path file, long bytes) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            String head = "package big;\n";
            w.write(head);
            long n = head.length();
            for (int i = 0; n < bytes; i++) {
                String s = "struct s" + i + " { le32 a; le16 b; u8 c[2]; }\n";
                w.write(s);
                n += s.length();
            }
        }
    }
}
