package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading specs from disk the way the CLI and the Maven plugin do. */
class SpecLoaderTest {

    private static SpecLoader loader;

    @TempDir
    Path dir;

    @BeforeAll
    static void injector() {
        loader = SpecLoader.create();
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void cleanFilesGiveAModel() throws IOException {
        Path a = write("a.avps", "package a;\n/** A. */ device a { id 1; spec \"1.4\"; }\n");
        SpecLoader.Result r = loader.load(List.of(a));
        assertEquals(List.of(), r.diagnostics());
        assertNotNull(r.model());
        assertEquals("a", r.model().devices().get(0).name());
    }

    @Test
    void directoriesAreSearchedRecursivelyInAStableOrder() throws IOException {
        write("z/b.avps", "package b;\n/** B. */ device b { id 2; spec \"1.4\"; }\n");
        write("a.avps", "package a;\n/** A. */ device a { id 1; spec \"1.4\"; }\n");
        write("notes.txt", "not a spec");
        SpecLoader.Result r = loader.load(List.of(dir));
        assertFalse(r.hasErrors());
        assertEquals(List.of("a", "b"), r.model().devices().stream().map(d -> d.name()).toList());
    }

    @Test
    void diagnosticsArePositionedAndSorted() throws IOException {
        Path bad = write("bad.avps", """
                package bad;
                /** D. */
                device d {
                    id 5;
                    spec "1.4";
                    features {
                        /** a */ bit 3 A;
                        /** b */ bit 3 B;
                    }
                    bogus
                }
                """);
        SpecLoader.Result r = loader.load(List.of(bad));
        assertTrue(r.hasErrors());
        assertNull(r.model(), "no model from a spec with errors");
        List<SpecDiagnostic> d = r.diagnostics();
        assertEquals(d.stream().sorted().toList(), d);
        SpecDiagnostic bit = d.stream().filter(x -> x.message().contains("already taken")).findFirst().orElseThrow();
        assertEquals(8, bit.line());
        assertEquals(22, bit.column());
        assertTrue(bit.toString().startsWith(bad + ":8:22: error: bit 3 is already taken"), bit.toString());
        assertTrue(d.stream().anyMatch(x -> x.line() == 10 && x.severity() == SpecDiagnostic.Severity.ERROR));
    }

    @Test
    void missingAndForeignFilesAreErrorsNotExceptions() throws IOException {
        Path txt = write("x.txt", "hello");
        SpecLoader.Result r = loader.load(List.of(dir.resolve("nope.avps"), txt));
        assertEquals(2, r.diagnostics().size());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.message().contains("no such file")));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.message().contains("must end in .avps")));
    }

    @Test
    void libraryResolvesImportsWithoutBeingReported() throws IOException {
        Path lib = write("lib/common.avps", "package common;\nstruct undocumented { le32 x; }\n");
        Path user = write("src/user.avps", "package user;\nimport common.*;\n/** U. */ struct u { undocumented c; }\n");
        SpecLoader.Result r = loader.load(List.of(user), List.of(dir.resolve("lib")));
        assertEquals(List.of(), r.diagnostics(), "the library's own missing-doc warning is not reported");
        assertEquals(4, r.model().structs().get(0).size());
        assertTrue(Files.exists(lib));
    }
}
