package dev.avps.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `avps` command: checks, lays out and generates from .avps specs. */
@Command(name = "avps", mixinStandardHelpOptions = true, version = "avps 0.1.0",
        description = "Model-driven toolchain for VIRTIO / AVPS devices.",
        subcommands = {CheckCommand.class, LayoutCommand.class, GenerateCommand.class, DiffCommand.class, QemuArgsCommand.class,
                PlatformReportCommand.class, CommandLine.HelpCommand.class})
public final class AvpsCli {

    /** Exit status for a spec with errors (usage errors exit with 2, as picocli does). */
    public static final int SPEC_ERRORS = 1;

    /** Exit status for a command line picocli or a command rejects. */
    public static final int USAGE = 2;

    /** Exit status for a bug of ours; every finding about the specs is still printed first. */
    public static final int INTERNAL_ERROR = 3;

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
            line.getErr().println(dev.avps.dsl.load.OneLine.of("avps: internal error: " + ex
                    + " (a bug in avps; run with --stacktrace or AVPS_DEBUG=1 for details)"));
            if (System.getenv("AVPS_DEBUG") != null || java.util.Arrays.asList(args).contains("--stacktrace")) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return INTERNAL_ERROR;
        });
        return cl.execute(args);
    }
}
