package dev.avps.dsl.ide;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Speaks LSP to the packaged server jar byte by byte, so tests can send what no LSP library would:
 * wrong lengths, broken headers, garbage. Everything the server writes is parsed strictly (the
 * server's own framing must stay exact) and kept in arrival order.
 */
final class RawLspClient implements AutoCloseable {

    static final Path JAR = Path.of("target/avps-language-server.jar");

    final Process process;
    final Path stderr;
    private final OutputStream in;
    private final List<JsonObject> received = new ArrayList<>();
    private volatile boolean ended;
    private volatile String outputError;

    RawLspClient(Path stderr) throws IOException {
        this(stderr, List.of());
    }

    /** A server started with these JVM options (a small heap, say) before {@code -jar}. */
    RawLspClient(Path stderr, List<String> jvmOptions) throws IOException {
        this.stderr = stderr;
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        in = process.getOutputStream();
        Thread reader = new Thread(this::readOutput, "lsp-output");
        reader.setDaemon(true);
        reader.start();
    }

    static byte[] frame(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return concat(("Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), b);
    }

    static byte[] frame(String declaredLength, String body) {
        return concat(("Content-Length: " + declaredLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                body.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String request(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    static String notification(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    /** A cheap request every initialized server answers. */
    static String probe(int id) {
        return request(id, "workspace/symbol", "{\"query\":\"x\"}");
    }

    void send(byte[] bytes) throws IOException {
        in.write(bytes);
        in.flush();
    }

    void closeInput() throws IOException {
        in.close();
    }

    void initialize(Path root) throws Exception {
        send(frame(request(1, "initialize", "{\"capabilities\":{},\"rootUri\":\"" + root.toUri() + "\"}")));
        JsonObject r = response(1, 120);
        if (!r.has("result")) {
            throw new AssertionError("initialize failed: " + r);
        }
        send(frame(notification("initialized", "{}")));
    }

    /** The answer to the request with this id; fails if none comes within the timeout. */
    JsonObject response(int id, int seconds) throws InterruptedException {
        return await(m -> !m.has("method") && m.has("id") && m.get("id").isJsonPrimitive()
                && m.get("id").getAsJsonPrimitive().isNumber() && m.get("id").getAsInt() == id, seconds,
                "an answer to id " + id);
    }

    JsonObject await(Predicate<JsonObject> wanted, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (received) {
            int seen = 0;
            while (true) {
                for (; seen < received.size(); seen++) {
                    if (wanted.test(received.get(seen))) {
                        return received.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("no " + what + " within " + seconds + " s" + (ended ? " (server output ended)" : "")
                            + (outputError == null ? "" : "; output error: " + outputError));
                }
                received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    List<JsonObject> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    boolean outputEnded() {
        return ended;
    }

    String stderrText() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    private void readOutput() {
        try (InputStream out = process.getInputStream()) {
            while (true) {
                String header = readHeader(out);
                if (header == null) {
                    break;
                }
                if (!header.startsWith("Content-Length: ")) {
                    throw new IOException("server wrote a bad header: " + header);
                }
                int n = Integer.parseInt(header.substring(16));
                byte[] body = out.readNBytes(n);
                if (body.length != n) {
                    throw new IOException("server output ended inside a body");
                }
                JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
                synchronized (received) {
                    received.add(e.getAsJsonObject());
                    received.notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            outputError = e.toString();
        } finally {
            ended = true;
            synchronized (received) {
                received.notifyAll();
            }
        }
    }

    /** The one header line, after which an empty line must follow; null at end of output. */
    private static String readHeader(InputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = out.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        if (c < 0) {
            return null;
        }
        if (out.read() != '\r' || out.read() != '\n') {
            throw new IOException("no empty line after the header " + line);
        }
        return line.toString().strip();
    }

    @Override
    public void close() throws Exception {
        try {
            in.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
