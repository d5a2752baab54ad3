package dev.avps.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `avps` command: checks, lays out and generates from .avps specs. */
@Command(name = "avps", mixinStandardHelpOptions = true, version = "avps 0.1.0",
        description = "Model-driven toolchain for VIRTIO / AVPS devices.",
        subcommands = {CheckCommand.class, LayoutCommand.class, GenerateCommand.class, DiffCommand.class,
                CommandLine.HelpCommand.class})
public final class AvpsCli {

    /** Exit status for a spec with errors (usage errors exit with 2, as picocli does). */
    public static final int SPEC_ERRORS = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI without exiting the JVM, for tests and embedding. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with its output and error streams given, for tests and embedding. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new AvpsCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            // A bug of ours must still read as one line, not a stack trace for the user to decode.
            line.getErr().println("avps: internal error: " + ex);
            if (System.getenv("AVPS_DEBUG") != null) {
                ex.printStackTrace(line.getErr());
            }
            return 3;
        });
        return cl.execute(args);
    }
}
