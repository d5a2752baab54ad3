package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.dsl.load.SpecLoader;
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
}
