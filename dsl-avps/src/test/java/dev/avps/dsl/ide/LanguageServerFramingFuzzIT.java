package dev.avps.dsl.ide;

import static dev.avps.dsl.ide.RawLspClient.concat;
import static dev.avps.dsl.ide.RawLspClient.frame;
import static dev.avps.dsl.ide.RawLspClient.notification;
import static dev.avps.dsl.ide.RawLspClient.probe;
import static dev.avps.dsl.ide.RawLspClient.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random damage to headers and bodies for a bounded time (15 s by default, -Davps.lsp.fuzzSeconds),
 * from a fixed seed (-Davps.lsp.fuzzSeed) so a failure can be replayed. Every case ends with a valid
 * request that must be answered within 30 s: nothing a damaged message does may silence the server
 * or make it wait forever. At the end, shutdown is answered, the server exits 0 on end of input,
 * and stderr holds no stack trace.
 */
class LanguageServerFramingFuzzIT {

    @TempDir
    Path workspace;

    static final List<String> BASES = List.of(
            probe(7),
            request(8, "textDocument/hover", "{\"textDocument\":{\"uri\":\"file:///w/a.avps\"},\"position\":{\"line\":0,\"character\":3}}"),
            notification("textDocument/didOpen", "{\"textDocument\":{\"uri\":\"file:///w/f.avps\",\"languageId\":\"avps\","
                    + "\"version\":1,\"text\":\"package f;\\ndevice f {\\n    id 7;\\n}\\n\"}}"),
            request(9, "textDocument/completion", "{\"textDocument\":{\"uri\":\"file:///w/f.avps\"},\"position\":{\"line\":2,\"character\":4}}"));

    @Test
    void damagedMessagesNeverSilenceTheServer() throws Exception {
        long seed = Long.getLong("avps.lsp.fuzzSeed", 19);
        long seconds = Long.getLong("avps.lsp.fuzzSeconds", 15);
        Random random = new Random(seed);
        int cases = 0;
        try (RawLspClient server = new RawLspClient(Path.of("target/lsp-fuzz-it.log"))) {
            server.initialize(workspace);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int id = 1000;
            while (System.nanoTime() < end) {
                ByteArrayOutputStream damaged = new ByteArrayOutputStream();
                int messages = 1 + random.nextInt(3);
                for (int m = 0; m < messages; m++) {
                    damaged.writeBytes(damage(random, BASES.get(random.nextInt(BASES.size()))));
                }
                id++;
                server.send(concat(damaged.toByteArray(), frame(probe(id))));
                try {
                    server.response(id, 30);
                } catch (AssertionError e) {
                    throw new AssertionError("seed " + seed + ", case " + cases + ": "
                            + new String(damaged.toByteArray(), StandardCharsets.ISO_8859_1), e);
                }
                cases++;
            }
            server.send(frame(request(2, "shutdown", null)));
            server.response(2, 30);
            server.closeInput();
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, server.process.exitValue());
            assertFalse(server.stderrText().contains("\tat "), "no stack trace on stderr");
        }
        assertTrue(cases > 0);
        System.out.println("framing fuzz: " + cases + " cases, seed " + seed);
    }

    /** One message, framed and then damaged in one of several ways. */
    static byte[] damage(Random r, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        return switch (r.nextInt(12)) {
            case 0 -> frame(Integer.toString(n + 1 + r.nextInt(300)), body);
            case 1 -> frame(Integer.toString(Math.max(1, n - 1 - r.nextInt(n))), body);
            case 2 -> frame(pick(r, "-1", "0", "", "x", "1e3", "0x10", "2147483648", "9223372036854775808",
                    "18446744073709551616", " 12 3", "+" + n), body);
            case 3 -> concat(("Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII), b);
            case 4 -> concat(("Content-Length: " + n + "\n").getBytes(StandardCharsets.US_ASCII), b); // no blank line
            case 5 -> frame(Integer.toString(n), new String(flip(r, b), StandardCharsets.ISO_8859_1));
            case 6 -> concat(frameBytes(n), flip(r, b));
            case 7 -> concat(frameBytes(n + r.nextInt(40) - 20), splice(r, b));
            case 8 -> garbage(r);
            case 9 -> concat(("X-" + "h".repeat(r.nextInt(3000)) + ": v\r\n").getBytes(StandardCharsets.US_ASCII), frameBytes(n), b);
            case 10 -> {
                String deep = "[".repeat(100 + r.nextInt(5000));
                String s = body.substring(0, body.length() - 1) + ",\"deep\":" + deep + "]".repeat(deep.length()) + "}";
                yield frame(s);
            }
            default -> concat(frameBytes(n), Arrays.copyOf(b, r.nextInt(n)));
        };
    }

    static byte[] frameBytes(int n) {
        return ("Content-Length: " + n + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    static byte[] flip(Random r, byte[] b) {
        byte[] c = b.clone();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            c[r.nextInt(c.length)] = (byte) r.nextInt(256);
        }
        return c;
    }

    /** Cuts a random range out, or copies one in, possibly a header. */
    static byte[] splice(Random r, byte[] b) {
        int at = r.nextInt(b.length);
        byte[] insert = r.nextBoolean() ? ("Content-Length: " + r.nextInt(500) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)
                : Arrays.copyOfRange(b, r.nextInt(b.length), b.length);
        return r.nextBoolean() ? concat(Arrays.copyOf(b, at), insert, Arrays.copyOfRange(b, at, b.length))
                : concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + r.nextInt(40)), b.length));
    }

    static byte[] garbage(Random r) {
        byte[] g = new byte[r.nextInt(70_000)];
        r.nextBytes(g);
        return g;
    }
}
