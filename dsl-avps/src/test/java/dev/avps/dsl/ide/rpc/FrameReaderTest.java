package dev.avps.dsl.ide.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framing rules on byte strings, without a server: what each damaged input is cut into. */
class FrameReaderTest {

    static final String GOOD = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"m\"}";

    static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(p.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    static String framed(String body) {
        return "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** The kinds of all frames, with the text of each MESSAGE. */
    static List<String> cut(byte[] input) throws Exception {
        FrameReader r = new FrameReader(new ByteArrayInputStream(input));
        List<String> out = new ArrayList<>();
        for (Frame f = r.next(); f.kind != Frame.Kind.END; f = r.next()) {
            out.add(f.kind == Frame.Kind.MESSAGE ? f.text() : f.kind.name());
        }
        return out;
    }

    @Test
    void headerWithoutBlankLineBeforeTheBody() throws Exception {
        assertEquals(List.of("BAD_HEADER", GOOD), cut(bytes("Content-Length: 148\n" + GOOD.repeat(4), framed(GOOD))));
    }

    @Test
    void headerLinesOverTheBoundAreNotCutSilently() throws Exception {
        String longLine = "X-Long: " + "v".repeat(FrameReader.MAX_HEADER_LINE) + "\r\n";
        assertEquals(List.of("BAD_HEADER", GOOD), cut(bytes(longLine, framed(GOOD))));
        String[] many = new String[FrameReader.MAX_HEADER_LINES + 1];
        java.util.Arrays.fill(many, "X-Junk: 1\r\n");
        assertEquals(List.of("BAD_HEADER", GOOD), cut(bytes(String.join("", many) + "\r\n" + GOOD, framed(GOOD))));
    }

    @Test
    void lengthEndsInsideTheNextHeader() throws Exception {
        String cutOff = "{\"jsonrpc\":\"2.0\",\"id\":7,\"params\":{\"query";
        assertEquals(List.of("BROKEN_BODY", GOOD), cut(bytes("Content-Length: " + (cutOff.length() + 9) + "\r\n\r\n" + cutOff, framed(GOOD))));
    }

    @Test
    void shortLongAndInvalidLengths() throws Exception {
        assertEquals(List.of("BROKEN_BODY", GOOD), cut(bytes("Content-Length: 10\r\n\r\n" + GOOD, framed(GOOD))));
        assertEquals(List.of("LENGTH_TOO_LONG", GOOD), cut(bytes("Content-Length: 60\r\n\r\n" + GOOD, framed(GOOD))));
        for (String bad : List.of("-5", "abc", "", "0", "1 2")) {
            assertEquals(List.of("BAD_HEADER", GOOD), cut(bytes("Content-Length: " + bad + "\r\n\r\n" + GOOD, framed(GOOD))), bad);
        }
        assertEquals(List.of("LENGTH_TOO_LONG", GOOD), cut(bytes("Content-Length: 99999999999999999999\r\n\r\n" + GOOD, framed(GOOD))));
    }

    @Test
    void headerTextInsideAStringIsNotTakenForAHeader() throws Exception {
        String tricky = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"Content-Length: 5\"}";
        assertEquals(List.of(tricky, GOOD), cut(bytes(framed(tricky), framed(GOOD))));
        // Cut short before that text: the resynchronising search meets it and must reject it.
        assertEquals(List.of("BROKEN_BODY", "BAD_HEADER", GOOD), cut(bytes("Content-Length: 40\r\n\r\n" + tricky, framed(GOOD))));
    }

    @Test
    void deepNestingIsCountedNotParsed() throws Exception {
        String deep = "{\"a\":" + "[".repeat(1_000_000) + "]".repeat(1_000_000) + "}";
        assertEquals(List.of("TOO_DEEP", GOOD), cut(bytes(framed(deep), framed(GOOD))));
    }
}
