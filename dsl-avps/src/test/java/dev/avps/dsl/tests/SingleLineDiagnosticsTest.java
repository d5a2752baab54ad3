package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.dsl.load.OneLine;
import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 11: every finding is one {@code file:line:col: severity: message} line, however
 * hostile the input: control characters are escaped, long echoes clipped, and a lone CR does not
 * count as a line break.
 */
class SingleLineDiagnosticsTest {

    private static final Pattern ONE_LINE = Pattern.compile("[^\\x00-\\x1F\\x7F\\u2028\\u2029]*");
    private static SpecLoader loader;

    @TempDir
    Path dir;

    @BeforeAll
    static void injector() {
        loader = SpecLoader.create();
    }

    private SpecLoader.Result load(String text) throws IOException {
        Path f = dir.resolve("x.avps");
        Files.writeString(f, text);
        return loader.load(List.of(f));
    }

    private static void assertSingleLine(List<SpecDiagnostic> ds) {
        assertFalse(ds.isEmpty());
        for (SpecDiagnostic d : ds) {
            String s = d.toString();
            assertTrue(ONE_LINE.matcher(s).matches(), "not one clean line: " + s.replace("\n", "<NL>"));
            assertTrue(s.matches(".*x\\.avps:[1-9][0-9]*:[1-9][0-9]*: (error|warning|info): .*"), s);
        }
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("a\\x0Ab\\x0Dc\\x09d\\x1B[31m\\x7F\\x85\\u2028", OneLine.of("a\nb\rc\td\u001b[31m\u007f\u0085\u2028"));
        assertEquals("lone \\uD800 surrogate, pair \uD83D\uDE00 kept", OneLine.of("lone \uD800 surrogate, pair \uD83D\uDE00 kept"));
    }

    @Test
    void longEchoesAreClipped() {
        String clipped = OneLine.of("name '" + "x".repeat(1_000_000) + "' is bad");
        assertTrue(clipped.length() < 120, clipped);
        assertTrue(clipped.contains("...(1000002 chars)"), clipped);
        assertTrue(OneLine.of("word ".repeat(1000)).endsWith("...(message clipped)"));
        assertEquals("an ordinary message stays as it is", OneLine.of("an ordinary message stays as it is"));
    }

    @Test
    void tokensWithControlCharactersInASpecGiveOneLineFindings() throws IOException {
        SpecLoader.Result r = load("package p;\n/** d */ device d { id 1; spec \"1.4\";\n /** s */ struct s { u8 x when"
                + " A\u001b[31mB\u0007\n\u000bC\u0000; }\n}\n");
        assertTrue(r.hasErrors());
        assertSingleLine(r.diagnostics());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.message().contains("\\x1B")), r.diagnostics().toString());
    }

    @Test
    void aMegabyteIdentifierGivesAShortMessage() throws IOException {
        SpecLoader.Result r = load("package p;\n/** d */ device " + "x".repeat(1_000_000) + " { id 1; spec \"1.4\"; }\n");
        assertSingleLine(r.diagnostics());
        assertTrue(r.diagnostics().stream().allMatch(d -> d.toString().length() < 400), r.diagnostics().toString());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.message().contains("1000000 characters")));
    }

    @Test
    void aLoneCarriageReturnIsNoLineBreak() throws IOException {
        // Lines 1-3 are separated by lone CRs, so for the lexer and for editors they are one line.
        SpecLoader.Result r = load("package p;\r/** d */ device d { id 1; spec \"1.4\";\r u9 bad;\n}\n");
        SpecDiagnostic syntax = r.diagnostics().stream().filter(d -> d.message().contains("u9")).findFirst()
                .orElseThrow();
        assertEquals(1, syntax.line(), syntax.toString());
        assertEquals("package p;\r/** d */ device d { id 1; spec \"1.4\";\r ".length() + 1, syntax.column());
        SpecLoader.Result crlf = load("package p;\r\n/** d */ device d { id 1; spec \"1.4\";\r\n u9 bad;\r\n}\r\n");
        SpecDiagnostic s2 = crlf.diagnostics().stream().filter(d -> d.message().contains("u9")).findFirst()
                .orElseThrow();
        assertEquals(3, s2.line(), s2.toString());
        assertEquals(2, s2.column());
    }
}
