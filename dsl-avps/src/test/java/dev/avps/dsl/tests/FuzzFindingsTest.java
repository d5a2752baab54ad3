package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.dsl.load.SpecLoader;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inputs the spec fuzzer (generator's dev.avps.fuzz) found to break the checker, kept as regressions. */
class FuzzFindingsTest {

    private static SpecLoader loader;

    @BeforeAll
    static void injector() {
        loader = SpecLoader.create();
    }

    /** A package name left empty by error recovery made Xtext's import scoping throw (exit 3). */
    @Test
    void brokenPackageNameWithCrossReferencesIsAFindingNotAnInternalError() {
        SpecLoader.Result r = loader.checkText("p.avps", """
                package * f.;
                /** D. */
                device u {
                    id 302;
                    spec "1.4";
                    /** Q. */
                    queues { /** c. */ queue ctl driver-to-device; }
                    /** U. */
                    struct msg { le32 type; }
                    /** R. */
                    request op on ctl where m.type == 1 { readable msg m; writable le32 result; }
                }
                """);
        assertFalse(r.hasInternalErrors(), r.diagnostics().toString());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.line() == 1 && d.message().contains("'*'")),
                r.diagnostics().toString());
    }

    /** Dotted paths into wide nested structs multiplied (60^4 of them) until the heap ran out. */
    @Test
    void lengthReferencesIntoWideNestedStructsStayBounded() {
        StringBuilder b = new StringBuilder("/** s0 */ struct s0 {");
        for (int i = 0; i < 60; i++) {
            b.append(" u8 f").append(i).append(';');
        }
        b.append(" }\n");
        for (int level = 1; level <= 4; level++) {
            b.append("/** s */ struct s").append(level).append(" {");
            for (int i = 0; i < 60; i++) {
                b.append(" s").append(level - 1).append(" f").append(i).append(';');
            }
            b.append(level == 4 ? " u8 data[f0.f0.f0.f0]; }\n" : " }\n");
        }
        SpecLoader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> loader.checkText("w.avps", Specs.device(b.toString())));
        assertFalse(r.hasInternalErrors(), r.diagnostics().toString());
    }
}
