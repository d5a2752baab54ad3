package dev.avps.specmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The README's coverage table is generated: this test fails when the committed table is
 * stale. Regenerate it with
 * {@code ./mvnw -B -q -pl spec-models test -Dtest=CoverageTableTest -Dcoverage.write=true}.
 */
class CoverageTableTest {

    @Test
    void coverageTableIsCurrent() {
        assumeTrue(LinuxOracle.available(),
                "gcc or /usr/include/linux/virtio_blk.h is missing: the table's oracle column cannot be computed");
        String table = CoverageTable.render(Catalog.load().model(), Catalog.oracle(), LinuxOracle.Allowlist.read());
        String readme = CoverageTable.current();
        String expected = CoverageTable.rewrite(readme, table);
        if (Boolean.getBoolean("coverage.write")) {
            CoverageTable.write(expected);
            return;
        }
        assertEquals(expected, readme, "README.md's coverage table is stale: rerun this test with -Dcoverage.write=true");
    }
}
