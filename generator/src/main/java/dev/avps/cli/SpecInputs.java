package dev.avps.cli;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command that reads specs shares: library paths for imports and warning control. */
final class SpecInputs {

    @Option(names = {"-L", "--lib"}, paramLabel = "DIR",
            description = "Extra spec files or directories that resolve imports (not reported on).")
    List<Path> library = new ArrayList<>();

    @Option(names = "--no-warnings", description = "Print errors only.")
    boolean noWarnings;

    @Option(names = "--stacktrace",
            description = "On an internal error (exit 3), also print its stack trace (or set AVPS_DEBUG).")
    boolean stacktrace;

    SpecLoader.Result load(List<Path> inputs) {
        return SpecLoader.create().load(inputs, library);
    }

    /**
     * The exit status for a load: 3 when a finding is a bug of ours (its stack trace printed only
     * when asked), else 1 when the specs have errors, else 0.
     */
    int status(SpecLoader.Result result, PrintWriter err) {
        if (result.hasInternalErrors()) {
            if (stacktrace || System.getenv("AVPS_DEBUG") != null) {
                result.internalErrors().forEach(e -> e.printStackTrace(err));
            }
            err.flush();
            return AvpsCli.INTERNAL_ERROR;
        }
        return result.hasErrors() ? AvpsCli.SPEC_ERRORS : 0;
    }

    /** Prints diagnostics compiler-style, one per line, in file and position order. */
    void print(List<SpecDiagnostic> diagnostics, PrintWriter out) {
        for (SpecDiagnostic d : diagnostics) {
            if (!noWarnings || d.severity() == SpecDiagnostic.Severity.ERROR) {
                out.println(d);
            }
        }
        out.flush();
    }
}
