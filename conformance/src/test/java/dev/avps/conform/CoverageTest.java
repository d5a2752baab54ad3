package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.report.RequirementJoin;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance tool's reach per device: at least 80% of the chapter's checkable device
 * requirements name a check that is implemented (issue 14's target for rng, blk, vsock, gpio,
 * i2c, input, sound and console). Independent of any backend: a report with no results is joined against the catalog.
 */
class CoverageTest {

    @ParameterizedTest
    @ValueSource(strings = {"rng", "blk", "vsock", "gpio", "i2c", "input", "sound", "console"})
    void mostCheckableRequirementsHaveAnImplementedCheck(String device) throws Exception {
        DeviceReport empty = new DeviceReport(device + " (no run)", Backends.catalog(device), List.of(), "", 0);
        RequirementJoin.Figures f = RequirementJoin.figures(RequirementJoin.deviceRows(empty));
        System.out.println("coverage " + device + ": " + f);
        assertTrue(f.checkable() > 0, device + ": " + f);
        assertTrue(f.covered() * 10 >= f.checkable() * 8, device + ": fewer than 80% of the checkable requirements"
                + " have an implemented check: " + f);
    }
}
