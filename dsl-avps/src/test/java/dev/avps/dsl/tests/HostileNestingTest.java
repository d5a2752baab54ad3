package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.dsl.validation.IssueCodes;
import dev.avps.dsl.validation.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 7: deep nesting and long operator chains used to overflow the parser's or
 * the validator's stack (an internal error that hid every other file's findings) or to take
 * minutes. Now each is one positioned error at a stated depth, and the other files of the run
 * are still reported. The timeouts only detect a hang; they are far above the normal time.
 */
class HostileNestingTest {

    private static final Duration HANG = Duration.ofSeconds(60);
    private static SpecLoader loader;

    @TempDir
    Path dir;

    @BeforeAll
    static void injector() {
        loader = SpecLoader.create();
    }

    private static String device(String members) {
        return "package h;\n/** D. */\ndevice d {\n\tid 90;\n\tspec \"1.4\";\n\tfeatures { /** A. */ bit 1 A; }\n"
                + members + "\n}\n";
    }

    /** Loads the hostile file beside a file with one ordinary error, and checks both are reported. */
    private SpecDiagnostic nestingErrorOf(String hostile) throws IOException {
        Path bad = dir.resolve("deep.avps");
        Files.writeString(bad, hostile);
        Path other = dir.resolve("other.avps");
        Files.writeString(other, "package o;\n/** D. */ device o { id 91; spec \"1.4\"; features { /** X. */ bit 3 X;"
                + " /** Y. */ bit 3 Y; } }\n");
        SpecLoader.Result r = assertTimeoutPreemptively(HANG, () -> loader.load(List.of(bad, other)));
        assertFalse(r.hasInternalErrors(), r.diagnostics().toString());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.file().equals(other.toString())
                && d.message().contains("bit 3 is already taken")), "the other file is still reported");
        List<SpecDiagnostic> deep = r.diagnostics().stream()
                .filter(d -> IssueCodes.NESTING_TOO_DEEP.equals(d.code())).toList();
        assertEquals(1, deep.size(), r.diagnostics().toString());
        assertTrue(deep.get(0).message().startsWith("nesting deeper than " + Limits.MAX_NESTING + " levels"));
        return deep.get(0);
    }

    @Test
    void tenThousandParenthesesInACondition() throws IOException {
        SpecDiagnostic d = nestingErrorOf(device("/** C. */ config c { le32 x when " + "(".repeat(10_000) + "A"
                + ")".repeat(10_000) + "; }"));
        assertEquals(7, d.line());
        // the parentheses start at column 34; the device and config braces take two levels
        assertEquals(34 + Limits.MAX_NESTING - 2, d.column(), "the first parenthesis past the limit");
    }

    @Test
    void tenThousandNegations() throws IOException {
        nestingErrorOf(device("/** C. */ config c { le32 x when " + "!".repeat(10_000) + "A; }"));
    }

    @Test
    void tenThousandParenthesesInAnArraySize() throws IOException {
        nestingErrorOf(device("/** S. */ struct s { u8 x[" + "(".repeat(10_000) + "1" + ")".repeat(10_000) + "]; }"));
    }

    @Test
    void tenThousandTermOrChainsInWhenAndRequires() throws IOException {
        String chain = String.join(" || ", java.util.Collections.nCopies(10_000, "A"));
        nestingErrorOf(device("/** C. */ config c { le32 x when " + chain + "; }"));
        nestingErrorOf(device("features { /** B. */ bit 2 B requires " + chain + "; }"));
    }

    @Test
    void tenThousandAndHundredThousandTermSums() throws IOException {
        nestingErrorOf(device("/** S. */ struct s { u8 x[" + "1+".repeat(10_000) + "1]; }"));
        nestingErrorOf(device("/** S. */ struct s { u8 x[" + "1+".repeat(100_000) + "1]; }"));
        nestingErrorOf(device("/** C. */ config c { le32 x when "
                + String.join(" || ", java.util.Collections.nCopies(100_000, "A")) + "; }"));
    }

    @Test
    void nestingWithinTheLimitIsAccepted() throws IOException {
        Path ok = dir.resolve("ok.avps");
        Files.writeString(ok, device("/** C. */ config c { le32 x when " + "(".repeat(40) + "A || !A"
                + ")".repeat(40) + "; u8 y[" + "1+".repeat(40) + "1]; }"));
        SpecLoader.Result r = loader.load(List.of(ok));
        assertFalse(r.hasErrors(), r.diagnostics().toString());
        assertEquals(41, r.model().devices().get(0).config().field("y").orElseThrow().size());
    }

    @Test
    void structsNestedThousandsDeepAreAnErrorNotAStackOverflow() throws IOException {
        // Outermost first, so laying out the first struct walks the whole chain.
        StringBuilder b = new StringBuilder();
        for (int i = 4_999; i > 0; i--) {
            b.append("/** S. */ struct s").append(i).append(" { s").append(i - 1).append(" inner; }\n");
        }
        b.append("/** S0. */ struct s0 { u8 x; }\n");
        Path f = dir.resolve("structs.avps");
        Files.writeString(f, device(b.toString()));
        SpecLoader.Result r = assertTimeoutPreemptively(HANG, () -> loader.load(List.of(f)));
        assertFalse(r.hasInternalErrors(), r.diagnostics().toString());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.message().contains("nested deeper than "
                + Limits.MAX_NESTING + " structs")), r.diagnostics().stream().limit(3).toList().toString());
    }

    @Test
    void longDependencyChainsAreCheckedInBoundedTime() throws IOException {
        StringBuilder b = new StringBuilder("features {\n");
        for (int i = 0; i < 3_000; i++) {
            b.append("/** F. */ bit ").append(i % 24).append(" F").append(i).append(" requires F").append(i + 1)
                    .append(";\n");
        }
        b.append("/** L. */ bit 60 F3000;\n}");
        Path f = dir.resolve("chain.avps");
        Files.writeString(f, device(b.toString()));
        SpecLoader.Result r = assertTimeoutPreemptively(HANG, () -> loader.load(List.of(f)));
        assertFalse(r.hasInternalErrors(), r.diagnostics().stream().limit(3).toList().toString());
        assertTrue(r.hasErrors(), "bits repeat, so there are errors; the point is that they come back");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeParsing() throws IOException {
        // Found by the fuzz campaign: an 80 MB spec exhausted the heap while parsing.
        Path big = dir.resolve("big.avps");
        Files.writeString(big, "package b;\n// " + "x".repeat(Limits.MAX_FILE_CHARS) + "\n");
        SpecLoader.Result r = assertTimeoutPreemptively(HANG, () -> loader.load(List.of(big)));
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        assertTrue(r.diagnostics().get(0).toString().startsWith(big + ":1:1: error: the file has "), r.toString());
        assertEquals(IssueCodes.FILE_TOO_LARGE, r.diagnostics().get(0).code());
    }
}
