package dev.avps.dsl.ide.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts LSP messages ({@code Content-Length: n CRLF CRLF body}) from a byte stream so that one bad
 * message costs only itself. Headers are read line by line within fixed bounds; Content-Length must
 * be decimal digits, above zero; a body is read through {@link JsonShape}, which notices when the
 * declared length does not match the JSON text. After any framing error the reader resynchronises
 * by skipping to the next {@code Content-Length:} (matched case-insensitively, anywhere in the
 * stream): a header embedded in a body can never pass as a real one, because the value must end at
 * a line break and JSON strings hold no raw line breaks.
 *
 * <p>Nothing here ever closes the stream: every error has such a resynchronisation point, so only
 * end of input ends the session. Memory is bounded by {@link #MAX_BODY}; bodies over it are skipped
 * byte by byte, keeping only {@link #PREFIX} bytes to find the request id to answer.
 */
final class FrameReader {

    /** Largest body read into memory: 16 MiB, far above any LSP message for a spec file. */
    static final int MAX_BODY = 16 * 1024 * 1024;
    /** Deepest JSON nesting passed on; LSP messages nest about ten levels, Gson stops at 255. */
    static final int MAX_DEPTH = 128;
    static final int MAX_HEADER_LINE = 1024;
    static final int MAX_HEADER_LINES = 16;
    static final int PREFIX = 4096;
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private byte[] pending = new byte[0];
    private int pendingPos;
    /** The previous frame left the stream at an unknown position inside a message. */
    private boolean resync;

    FrameReader(InputStream in) {
        this.in = in;
    }

    /** The next frame; {@link Frame.Kind#END} once input ends. */
    Frame next() throws IOException {
        long skipped = 0;
        long declared = -1;
        if (resync) {
            skipped = skipToContentLength();
            if (skipped < 0) {
                return end(-skipped - 1);
            }
            resync = false;
            Line value = readLine();
            if (value == null) {
                return end(skipped);
            }
            declared = parseLength(value.text(0));
            if (declared < 0 || value.overflow) {
                return badHeader(value.raw, 0, lengthProblem(value.text(0)), skipped);
            }
        }
        int lines = declared < 0 ? 0 : 1;
        String conflict = null;
        while (true) {
            Line line = readLine();
            if (line == null) {
                return end(skipped);
            }
            if (line.overflow) {
                return badHeader(line.raw, 1, "header line longer than " + MAX_HEADER_LINE + " bytes", skipped);
            }
            if (line.length == 0) {
                if (lines == 0) {
                    continue; // a stray blank line between messages carries nothing
                }
                break;
            }
            if (++lines > MAX_HEADER_LINES) {
                return badHeader(line.raw, 1, "more than " + MAX_HEADER_LINES + " header lines", skipped);
            }
            String text = line.text(0);
            int colon = text.indexOf(':');
            if (colon <= 0 || !text.substring(0, colon).chars().allMatch(FrameReader::isTokenChar)) {
                return badHeader(line.raw, 1, "not a header line: " + Printable.clip(text), skipped);
            }
            if (text.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                long n = parseLength(text.substring(colon + 1));
                if (n < 0) {
                    return badHeader(line.raw, 1, lengthProblem(text.substring(colon + 1)), skipped);
                }
                if (declared >= 0 && declared != n) {
                    conflict = "two different Content-Length headers (" + declared + ", " + n + ")";
                }
                declared = n;
            }
            // Other headers (Content-Type) are ignored: LSP bodies are always UTF-8.
        }
        if (declared < 0) {
            return badHeader(null, 0, "header block without Content-Length", skipped);
        }
        if (conflict != null) {
            return badHeader(null, 0, conflict, skipped);
        }
        return readBody(declared, skipped);
    }

    private Frame readBody(long declared, long skipped) throws IOException {
        boolean keep = declared <= MAX_BODY;
        ByteSink body = new ByteSink(keep ? (int) declared : PREFIX);
        RecentBytes recent = new RecentBytes(MAX_HEADER_LINE);
        JsonShape shape = new JsonShape();
        for (long read = 0; read < declared; read++) {
            int b = read1();
            if (b < 0) {
                return end(skipped);
            }
            if (!shape.accept(b)) {
                if (shape.complete()) {
                    // The JSON text is whole and something else follows: most likely the next
                    // message's header, so the stream is in step again right here.
                    unread(new byte[] {(byte) b}, 0, 1);
                    return new Frame(Frame.Kind.LENGTH_TOO_LONG, body.bytes(), declared,
                            "Content-Length " + shown(declared) + " but the JSON message ended after " + read + " bytes", skipped);
                }
                // A header may have begun a little earlier (inside a string it is only noticed at
                // its line break), so the recent bytes are searched again.
                byte[] tail = recent.bytes();
                unread(concat(tail, (byte) b), 0, tail.length + 1);
                resync = true;
                return new Frame(Frame.Kind.BROKEN_BODY, body.bytes(), declared,
                        "byte " + read + " of a " + declared + "-byte body cannot belong to a JSON message", skipped);
            }
            body.add(b);
            recent.add(b);
        }
        if (!shape.complete()) {
            // The declared length may have ended inside the next message's header (a cut-off
            // string swallows its first bytes), so the search starts again in the recent bytes.
            byte[] tail = recent.bytes();
            unread(tail, 0, tail.length);
            resync = true;
            return new Frame(Frame.Kind.BROKEN_BODY, body.bytes(), declared,
                    "the " + declared + "-byte body is not a whole JSON message (Content-Length too short?)", skipped);
        }
        if (shape.maxDepth() > MAX_DEPTH) {
            return new Frame(Frame.Kind.TOO_DEEP, body.bytes(), declared,
                    "JSON nested " + shape.maxDepth() + " deep, deeper than " + MAX_DEPTH, skipped);
        }
        if (!keep) {
            return new Frame(Frame.Kind.OVERSIZE, body.bytes(), declared,
                    "a message of " + shown(declared) + " bytes, over the limit of " + MAX_BODY + " bytes", skipped);
        }
        return new Frame(Frame.Kind.MESSAGE, body.bytes(), declared, null, skipped);
    }

    /** A declared length for messages; lengths of 19 digits or more were not kept exactly. */
    static String shown(long declared) {
        return declared == Long.MAX_VALUE ? "of 19 or more digits" : Long.toString(declared);
    }

    private Frame badHeader(byte[] raw, int from, String problem, long skipped) {
        if (raw != null && raw.length > from) {
            unread(raw, from, raw.length - from);
        }
        resync = true;
        return new Frame(Frame.Kind.BAD_HEADER, new byte[0], -1, problem, skipped);
    }

    private static Frame end(long skipped) {
        return new Frame(Frame.Kind.END, new byte[0], -1, null, skipped);
    }

    /**
     * Consumes input through the next "Content-Length:"; returns the bytes skipped before it, or
     * -(skipped + 1) at end of input.
     */
    private long skipToContentLength() throws IOException {
        long skipped = 0;
        int matched = 0;
        while (matched < CONTENT_LENGTH.length) {
            int b = read1();
            if (b < 0) {
                return -(skipped + matched) - 1;
            }
            if (Character.toLowerCase(b) == CONTENT_LENGTH[matched]) {
                matched++;
            } else {
                // 'c' occurs only at the start of the pattern, so a mismatch restarts cleanly.
                skipped += matched + (Character.toLowerCase(b) == 'c' ? 0 : 1);
                matched = Character.toLowerCase(b) == 'c' ? 1 : 0;
            }
        }
        return skipped;
    }

    /** A positive decimal length, {@link Long#MAX_VALUE} if it has too many digits, -1 if invalid. */
    static long parseLength(String value) {
        String v = value.strip();
        if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        String digits = v.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 18) {
            return Long.MAX_VALUE;
        }
        long n = Long.parseLong(digits);
        return n == 0 ? -1 : n;
    }

    private static String lengthProblem(String value) {
        return "Content-Length \"" + Printable.clip(value.strip()) + "\" is not a length above zero";
    }

    private static boolean isTokenChar(int c) {
        return c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** One header line: its raw bytes (with the line break) for re-reading, null at end of input. */
    private Line readLine() throws IOException {
        ByteSink raw = new ByteSink(MAX_HEADER_LINE);
        while (true) {
            int b = read1();
            if (b < 0) {
                return null;
            }
            raw.add(b);
            if (b == '\n') {
                return new Line(raw.bytes(), false);
            }
            if (raw.size() >= MAX_HEADER_LINE) {
                return new Line(raw.bytes(), true);
            }
        }
    }

    private int read1() throws IOException {
        if (pendingPos < pending.length) {
            return pending[pendingPos++] & 0xff;
        }
        if (pos == lim) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return -1;
            }
            pos = 0;
            lim = n;
        }
        return buf[pos++] & 0xff;
    }

    /** Puts bytes back in front of the input; they were just read, so this stays small. */
    private void unread(byte[] bytes, int from, int length) {
        byte[] rest = Arrays.copyOfRange(pending, pendingPos, pending.length);
        pending = new byte[length + rest.length];
        System.arraycopy(bytes, from, pending, 0, length);
        System.arraycopy(rest, 0, pending, length, rest.length);
        pendingPos = 0;
    }

    private static byte[] concat(byte[] a, byte b) {
        byte[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }

    private static final class Line {
        final byte[] raw;
        final boolean overflow;
        final int length;

        Line(byte[] raw, boolean overflow) {
            this.raw = raw;
            this.overflow = overflow;
            int n = raw.length;
            if (n > 0 && raw[n - 1] == '\n') {
                n--;
            }
            if (n > 0 && raw[n - 1] == '\r') {
                n--;
            }
            this.length = n;
        }

        String text(int from) {
            return new String(raw, from, length - from, StandardCharsets.ISO_8859_1);
        }
    }
}
