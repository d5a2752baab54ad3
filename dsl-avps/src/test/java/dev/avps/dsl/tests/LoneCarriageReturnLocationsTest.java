package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.dsl.validation.IssueCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: {@code avps check} places findings the way its lexer reads the file, where only LF
 * (and so CR LF) ends a line and a lone CR is an ordinary blank. This was already so for syntax
 * errors (SingleLineDiagnosticsTest); here the rule is shown for a validator's finding after lone
 * CRs, on the same text the language server test (LanguageServerLoneCrIT) reads by LSP's rule.
 */
class LoneCarriageReturnLocationsTest {

    private static SpecLoader loader;

    @TempDir
    Path dir;

    @BeforeAll
    static void injector() {
        loader = SpecLoader.create();
    }

    private SpecDiagnostic cKeyword(String text) throws IOException {
        Path f = dir.resolve("cr.avps");
        Files.writeString(f, text);
        List<SpecDiagnostic> found = loader.load(List.of(f)).diagnostics();
        return found.stream().filter(d -> IssueCodes.C_KEYWORD.equals(d.code())).findFirst()
                .orElseThrow(() -> new AssertionError("no C keyword finding in " + found));
    }

    @Test
    void aValidatorFindingAfterLoneCrsCountsOnlyLineFeeds() throws IOException {
        // By LF: line 1 "package p;\rstruct s {", 2 " le32 a;", 3 "}\rstruct t {", 4 " s inner;", 5 " le32 int;".
        String text = "package p;\rstruct s {\n le32 a;\n}\rstruct t {\n s inner;\n le32 int;\n}\n";
        SpecDiagnostic d = cKeyword(text);
        assertEquals(5, d.line(), d.toString());
        assertEquals(7, d.column(), d.toString());
        assertTrue(d.toString().contains("cr.avps:5:7"), d.toString());
    }

    @Test
    void crLfStillEndsALine() throws IOException {
        SpecDiagnostic d = cKeyword("package p;\r\nstruct s {\r\n le32 a;\r\n}\r\nstruct t {\r\n le32 int;\r\n}\r\n");
        assertEquals(6, d.line(), d.toString());
        assertEquals(7, d.column(), d.toString());
    }

    @Test
    void aLoneCrAtTheStartOfALineShiftsTheColumnNotTheLine() throws IOException {
        SpecDiagnostic d = cKeyword("package p;\nstruct t {\n\r\r le32 int;\n}\n");
        assertEquals(3, d.line(), d.toString());
        assertEquals(9, d.column(), d.toString());
    }
}
