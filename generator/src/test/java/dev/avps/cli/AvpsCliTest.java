package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `avps check` and `avps layout` contract: output format, exit status, no stack traces. */
class AvpsCliTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AvpsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static final String VALID = """
            package ok;
            /** A device. */
            device ok {
                id 77;
                spec "1.4";
                features {
                    /** One. */ bit 1 ONE;
                }
            }
            """;

    @Test
    void checkOfAValidFileExitsZero() throws IOException {
        Run r = run("check", write("ok.avps", VALID).toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("1 file(s) checked: 0 error(s), 0 warning(s)"), r.err());
    }

    @Test
    void syntaxErrorNamesFileLineColumnWithoutAStackTrace() throws IOException {
        Path f = write("broken.avps", "package b;\ndevice b {\n  id 1;\n  spec \"1.4\"\n}\n");
        Run r = run("check", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains(f + ":5:1: error: missing ';' at '}'\n"), r.out());
        assertFalse((r.out() + r.err()).contains("Exception"), r.out() + r.err());
        assertFalse((r.out() + r.err()).contains("\tat "), "no stack trace");
    }

    @Test
    void twoFeaturesOnOneBitNameBothPlaces() throws IOException {
        Path f = write("bits.avps", """
                package b;
                /** D. */
                device b {
                    id 1;
                    spec "1.4";
                    features {
                        /** A. */ bit 3 A;
                        /** B. */ bit 3 B;
                    }
                }
                """);
        Run r = run("check", f.toString());
        assertEquals(1, r.status());
        assertEquals(f + ":8:23: error: bit 3 is already taken by feature 'A'; declare another name for the same bit"
                + " with 'alias'\n", r.out());
    }

    @Test
    void diagnosticsAreSortedAcrossFiles() throws IOException {
        Path b = write("b.avps", "package b;\nstruct s { u8 x; }\n");
        Path a = write("a.avps", "package a;\nstruct s { u8 x; }\nstruct t { u8 y; }\n");
        Run r = run("check", b.toString(), a.toString());
        assertEquals(0, r.status(), "warnings only");
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith(a + ":2:"));
        assertTrue(lines[1].startsWith(a + ":3:"));
        assertTrue(lines[2].startsWith(b + ":2:"));
        assertTrue(lines[0].contains(": warning: struct 's' has no doc comment"));
    }

    @Test
    void jsonFormatForTools() throws IOException {
        Path f = write("w.avps", "package w;\nstruct s { u8 x; }\n");
        Run r = run("check", "--format", "json", f.toString());
        assertEquals(0, r.status());
        JsonArray arr = JsonParser.parseString(r.out()).getAsJsonArray();
        assertEquals(1, arr.size());
        assertEquals("warning", arr.get(0).getAsJsonObject().get("severity").getAsString());
        assertEquals(2, arr.get(0).getAsJsonObject().get("line").getAsInt());
        assertEquals("dev.avps.missingDoc", arr.get(0).getAsJsonObject().get("code").getAsString());
    }

    @Test
    void unknownFileIsAnErrorLine() {
        Run r = run("check", dir.resolve("missing.avps").toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("missing.avps:1:1: error: no such file or directory"), r.out());
    }

    @Test
    void usageErrorExitsTwo() {
        assertEquals(2, run("check").status());
        assertEquals(2, run("frobnicate").status());
    }

    @Test
    void layoutOfAStructAndOfARequest() throws IOException {
        Path f = write("l.avps", """
                package l;
                /** D. */
                device d {
                    id 1;
                    spec "1.4";
                    /** S. */ struct s { le16 a; u8 b; u8 c[5]; }
                    queues { /** Q. */ queue q driver-to-device; }
                    /** R. */ request r on q { readable s head; writable u8 data[]; writable u8 status; }
                }
                """);
        Run s = run("layout", f.toString(), "d.s");
        assertEquals(0, s.status(), s.err());
        assertEquals("""
                struct s: 8 bytes, align 2
                offset  size  type   field  condition
                     0     2  le16   a
                     2     1  u8     b
                     3     5  u8[5]  c
                """, s.out());
        Run r = run("layout", f.toString(), "d.r");
        assertTrue(r.out().startsWith("request r, device-readable part: 8 bytes"), r.out());
        assertTrue(r.out().contains("\nrequest r, device-writable part: at least 1 bytes"), r.out());
        assertTrue(r.out().matches("(?s).*\n\\s*end-1\\s+1\\s+u8\\s+status\n.*"), r.out());
        Run missing = run("layout", f.toString(), "d.nope");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("no device, struct or request named 'd.nope'; known: d, d.s, d.r"),
                missing.err());
    }
}
