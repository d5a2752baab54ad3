package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.dsl.validation.IssueCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, findings 7 to 11 through the CLI: hostile specs give exit 1 with positioned one-line
 * findings for every file, never a stack trace, an internal error or a crash in `generate`.
 */
class HostileSpecCliTest {

    private static final Duration HANG = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String device(String name, int id, String members) {
        return "package " + name + ";\n/** D. */\ndevice " + name + " {\n\tid " + id + ";\n\tspec \"1.4\";\n"
                + "\tfeatures { /** A. */ bit 1 A; }\n" + members + "\n}\n";
    }

    private static void assertNoTrace(AvpsCliTest.Run r) {
        String all = r.out() + r.err();
        assertFalse(all.contains("\tat ") || all.contains("Exception") || all.contains("Error:"), all);
        assertFalse(all.contains("internal error"), all);
    }

    @Test
    void deepNestingIsAFindingAndTheOtherFilesAreStillChecked() throws IOException {
        Path deep = write("deep.avps", device("deep", 80, "/** C. */ config c { le32 x when " + "(".repeat(10_000) + "A"
                + ")".repeat(10_000) + "; }"));
        Path chain = write("chain.avps", device("chain", 81, "/** C. */ config c { le32 x when "
                + "A || ".repeat(10_000) + "A; }"));
        Path sum = write("sum.avps", device("sum", 82, "/** S. */ struct s { u8 x[" + "1+".repeat(100_000) + "1]; }"));
        Path other = write("other.avps", device("other", 83, "/** S. */ struct s { u9 x; }"));
        AvpsCliTest.Run r = assertTimeoutPreemptively(HANG, () -> AvpsCliTest.run("check", deep.toString(),
                chain.toString(), sum.toString(), other.toString()));
        assertEquals(1, r.status(), r.err());
        assertNoTrace(r);
        for (Path p : List.of(deep, chain, sum)) {
            assertTrue(r.out().contains(p + ":7:"), p + " in " + r.out());
        }
        assertTrue(r.out().contains(other + ":7:"), "the ordinary file is still reported: " + r.out());
        assertTrue(r.err().contains("4 file(s) checked"), "files rejected before parsing count too: " + r.err());
        assertEquals(r.out().lines().count(), r.out().lines().filter(l -> l.matches(".+:\\d+:\\d+: (error|warning): .+"))
                .count(), r.out());
    }

    @Test
    void anUnderscoreNameIsACheckErrorNotAGeneratorCrash() throws IOException {
        Path f = write("u.avps", device("u", 84, "/** Q. */ queues { /** q. */ queue q driver-to-device; }\n"
                + "/** R. */ request _ on q { readable le32 a; }"));
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-t", "all", "-o", dir.resolve("out").toString(), f.toString());
        assertEquals(1, r.status(), r.err());
        assertNoTrace(r);
        assertTrue(r.err().contains(f + ":8:19: error: name '_' leaves no letters or digits"), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aHundredMillionByteArrayFailsTheCheckFast() throws IOException {
        Path f = write("big.avps", device("big", 85, "/** S. */ struct s { u8 x[100000000]; }"));
        AvpsCliTest.Run r = assertTimeoutPreemptively(HANG, () -> AvpsCliTest.run("generate", "-t", "all", "-o",
                dir.resolve("out").toString(), f.toString()));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains(f + ":7:27: error: array of 100000000 x 1 bytes"), r.err());
    }

    @Test
    void duplicateDevicesAndMissingImportsAreFindings() throws IOException {
        Path a = write("a.avps", "package p;\nimport no.such.pkg.*;\n/** D. */ device d { id 86; spec \"1.4\"; }\n");
        Path b = write("b.avps", "package p;\n/** D. */ device d { id 87; spec \"1.4\"; }\n");
        AvpsCliTest.Run r = AvpsCliTest.run("check", a.toString(), b.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains(a + ":2:8: error: import 'no.such.pkg.*'"), r.out());
        assertTrue(r.out().contains(a + ":3:18: error: device 'p.d' is also declared in b.avps"), r.out());
        assertTrue(r.out().contains(b + ":2:18: error: device 'p.d' is also declared in a.avps"), r.out());
    }

    @Test
    void jsonFindingsAreSingleLineToo() throws IOException {
        Path f = write("ctl.avps", "package c;\n/** D. */ device d { id 88; spec \"1.4\";\n /** S. */ struct s { u8 x when"
                + " A\u001b[2J\nB; }\n/** T. */ struct " + "t".repeat(5000) + " { u8 y; }\n}\n");
        AvpsCliTest.Run r = AvpsCliTest.run("check", "--format", "json", f.toString());
        assertEquals(1, r.status(), r.err());
        int n = 0;
        for (JsonElement e : JsonParser.parseString(r.out()).getAsJsonArray()) {
            String text = e.getAsJsonObject().get("text").getAsString();
            String message = e.getAsJsonObject().get("message").getAsString();
            assertTrue(text.matches(".+:\\d+:\\d+: (error|warning): [^\\x00-\\x1F\\x7F]+"), text);
            assertTrue(text.endsWith(message), text);
            assertTrue(text.length() < 400, text);
            n++;
        }
        assertTrue(n >= 2, r.out());
    }

    @Test
    void anInternalErrorExitsThreeWithoutAStackTraceUnlessAsked() {
        SpecDiagnostic bug = new SpecDiagnostic("x.avps", 1, 1, SpecDiagnostic.Severity.ERROR,
                "internal error while checking this file: IllegalStateException", IssueCodes.INTERNAL);
        SpecLoader.Result result = new SpecLoader.Result(List.of(bug), null, List.of(),
                List.of(new IllegalStateException("boom")));
        SpecInputs quiet = new SpecInputs();
        StringWriter err = new StringWriter();
        assertEquals(AvpsCli.INTERNAL_ERROR, quiet.status(result, new PrintWriter(err, true)));
        assertEquals(System.getenv("AVPS_DEBUG") != null, err.toString().contains("\tat "), err.toString());
        SpecInputs loud = new SpecInputs();
        loud.stacktrace = true;
        StringWriter err2 = new StringWriter();
        assertEquals(AvpsCli.INTERNAL_ERROR, loud.status(result, new PrintWriter(err2, true)));
        assertTrue(err2.toString().contains("IllegalStateException: boom") && err2.toString().contains("\tat "));
        SpecLoader.Result findings = new SpecLoader.Result(List.of(new SpecDiagnostic("x.avps", 1, 1,
                SpecDiagnostic.Severity.ERROR, "bad", "c")), null, List.of());
        assertEquals(AvpsCli.SPEC_ERRORS, quiet.status(findings, new PrintWriter(new StringWriter())));
    }
}
