package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.cli.AvpsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU arguments a guest test launches a backend with, as {@code avps qemu-args} derives them
 * from the catalog (run in-process, one argument per line), so the tests prove the generated
 * arguments rather than ones typed by hand.
 */
final class ModelQemuArgs {
    static final String CATALOG = "../spec-models/src/main/avps";

    private ModelQemuArgs() {
    }

    /** {@code avps qemu-args CATALOG --lines OPTIONS...}; fails the test if the command refuses. */
    static List<String> of(String... options) {
        List<String> cli = new ArrayList<>(List.of("qemu-args", CATALOG, "--lines"));
        cli.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, AvpsCli.run(new PrintWriter(out), new PrintWriter(err), cli.toArray(String[]::new)),
                "avps qemu-args: " + err);
        return out.toString().lines().filter(l -> !l.isBlank()).toList();
    }
}
