package dev.avps.dsl.ide;

import static dev.avps.dsl.ide.RawLspClient.concat;
import static dev.avps.dsl.ide.RawLspClient.frame;
import static dev.avps.dsl.ide.RawLspClient.probe;
import static dev.avps.dsl.ide.RawLspClient.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 12: after one message whose body is not consumed exactly, every later message
 * used to be glued to it and nothing was answered again. Each case here sends one such message
 * and then a valid request, which must be answered; where the bad message was a request whose id
 * can be found, its error answer is checked too. All cases go to one server, so damage one case
 * left behind would show in the next.
 */
class LanguageServerFramingIT {

    @TempDir
    static Path workspace;
    static RawLspClient server;
    static final AtomicInteger ids = new AtomicInteger(100);

    /** A valid request whose framing a case breaks, with an id of its own. */
    static String body(int id) {
        return probe(id);
    }

    @BeforeAll
    static void start() throws Exception {
        server = new RawLspClient(Path.of("target/lsp-framing-it.log"));
        server.initialize(workspace);
    }

    @AfterAll
    static void stop() throws Exception {
        server.send(frame(request(2, "shutdown", null)));
        server.response(2, 30);
        server.send(frame("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
        assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "exit ends the server");
        assertEquals(0, server.process.exitValue());
        String err = server.stderrText();
        assertFalse(err.contains("\tat "), "no stack trace on stderr:\n" + err);
        server.close();
    }

    /** Sends the bad bytes and a probe; the probe must be answered with a result. */
    static void thenStillAnswers(byte[] bad) throws Exception {
        int id = ids.incrementAndGet();
        server.send(concat(bad, frame(probe(id))));
        JsonObject answer = server.response(id, 60);
        assertTrue(answer.has("result"), answer.toString());
    }

    static int errorCodeFor(int id) throws InterruptedException {
        JsonObject e = server.await(m -> m.has("error") && m.get("id").isJsonPrimitive() && m.get("id").getAsInt() == id,
                30, "an error for id " + id);
        return e.getAsJsonObject("error").get("code").getAsInt();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void contentLengthShorterThanBody() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        int len = bytes(body).length;
        thenStillAnswers(frame(Integer.toString(len - 10), body));
        assertEquals(-32700, errorCodeFor(bad), "the cut-off request gets a parse error with its id");
    }

    @Test
    void contentLengthLongerThanBody() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        int len = bytes(body).length;
        thenStillAnswers(frame(Integer.toString(len + 10), body));
        assertEquals(-32600, errorCodeFor(bad));
    }

    @Test
    void contentLengthNegative() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        thenStillAnswers(frame("-5", body));
    }

    @Test
    void contentLengthNotANumber() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        thenStillAnswers(frame("abc", body));
        thenStillAnswers(frame("12x", body));
        thenStillAnswers(frame("", body));
        thenStillAnswers(frame("0", body));
    }

    @Test
    void contentLengthTwoToThe31() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        thenStillAnswers(frame(Long.toString(1L << 31), body));
        assertEquals(-32600, errorCodeFor(bad));
    }

    @Test
    void contentLengthTwoToThe63AndBeyond() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        thenStillAnswers(frame("9223372036854775808", body));
        thenStillAnswers(frame("99999999999999999999999999999999", body));
    }

    @Test
    void contentLengthMissing() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        thenStillAnswers(concat(bytes("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"), bytes(body)));
    }

    @Test
    void twoDifferentContentLengths() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        int len = bytes(body).length;
        thenStillAnswers(concat(bytes("Content-Length: " + len + "\r\nContent-Length: " + (len + 1) + "\r\n\r\n"), bytes(body)));
    }

    @Test
    void garbage64KiB() throws Exception {
        byte[] junk = new byte[64 * 1024];
        new Random(19).nextBytes(junk);
        thenStillAnswers(junk);
    }

    @Test
    void garbageHeaders64KiB() throws Exception {
        int bad = ids.incrementAndGet() + 10_000;
        String body = body(bad);
        thenStillAnswers(concat(bytes("X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".repeat(1000)),
                bytes("\r\n"), bytes(body)));
        thenStillAnswers(concat(bytes("Content-Length: 12" + "3".repeat(64 * 1024)), bytes("\r\n\r\n"), bytes(body)));
    }

    @Test
    void jsonTooDeepIsAParseErrorAndTheServerGoesOn() throws Exception {
        String deep = request(901, "workspace/symbol", "{\"query\":\"x\",\"deep\":" + "[".repeat(100_000)
                + "]".repeat(100_000) + "}");
        thenStillAnswers(frame(deep));
        assertEquals(-32700, errorCodeFor(901));
        // Just past the stated depth bound, too.
        String over = request(902, "workspace/symbol", "{\"query\":\"x\",\"deep\":" + "[".repeat(130) + "]".repeat(130) + "}");
        thenStillAnswers(frame(over));
        assertEquals(-32700, errorCodeFor(902));
    }

    @Test
    void bodyOverTheMessageLimitIsSkippedAndAnswered() throws Exception {
        String huge = request(903, "workspace/symbol", "{\"query\":\"" + "a".repeat(17 * 1024 * 1024) + "\"}");
        thenStillAnswers(frame(huge));
        assertEquals(-32600, errorCodeFor(903));
    }

    @Test
    void headerInsideABrokenBodyIsFoundAgain() throws Exception {
        // The body's string is cut off; the next header starts inside what looks like that string.
        thenStillAnswers(frame("200", "{\"jsonrpc\":\"2.0\",\"id\":904,\"method\":\"workspace/symbol\",\"params\":{\"query\":\"abc"));
        thenStillAnswers(frame("200", "{\"jsonrpc\":\"2.0\",\"id\":904,\"method\":\"workspace/symbol\",\"params\":{\"query\":\"abc\\u00"));
    }

    @Test
    void bareLineFeedsAndStrayBlankLines() throws Exception {
        int id = ids.incrementAndGet();
        byte[] body = bytes(probe(id));
        server.send(concat(bytes("\r\n\r\nContent-Length: " + body.length + "\n\n"), body));
        assertTrue(server.response(id, 60).has("result"));
    }
}
