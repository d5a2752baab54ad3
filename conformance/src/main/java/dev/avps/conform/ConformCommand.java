package dev.avps.conform;

import dev.avps.conform.model.Catalog;
import dev.avps.conform.platform.PlatformCommand;
import dev.avps.conform.report.HtmlReport;
import dev.avps.conform.report.JUnitXml;
import dev.avps.conform.report.RequirementJoin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code avps conform}: checks a running vhost-user backend against the catalog's model of its
 * device. Exit codes: 0 every check passed (or did not apply), 1 some failed, 2 usage, 3 internal.
 */
@Command(name = "avps conform", mixinStandardHelpOptions = true,
        description = "Check a vhost-user device backend against the catalog's model of its device.",
        subcommands = PlatformCommand.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed or did not apply", "1:at least one check failed",
                "2:usage error", "3:internal error"})
public final class ConformCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Not picocli-required: the platform subcommand runs without them (checked in call()).
    @Option(names = "--device", description = "The catalog device the backend serves (blk, rng...).")
    String device;

    @Option(names = "--socket", paramLabel = "PATH", description = "The backend's vhost-user socket.")
    Path socket;

    @Option(names = "--features", split = ",", paramLabel = "NAME",
            description = "Negotiate at most these device features (default: every one offered).")
    List<String> features;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write <device>.html and TEST-avps-conform-<device>.xml here.")
    Path report;

    @Option(names = "--check", paramLabel = "NAME", split = ",",
            description = "Run only these checks (default: all that apply).")
    List<String> only;

    @Option(names = "--request-timeout", paramLabel = "MS", defaultValue = "5000",
            description = "How long one request may take (default ${DEFAULT-VALUE}).")
    long requestMillis;

    @Option(names = "--check-timeout", paramLabel = "MS", defaultValue = "60000",
            description = "How long one check may take (default ${DEFAULT-VALUE}).")
    long checkMillis;

    @Option(names = "--respawn", paramLabel = "CMD", description = "Start the backend with this shell command"
            + " whenever nobody listens on the socket (for backends that serve one connection and exit, such as"
            + " virtiofsd); it is stopped after the run.")
    String respawn;

    @Option(names = "--vsock-uds", paramLabel = "PATH",
            description = "vsock: the backend's host-side unix socket path; a guest connection to host port P reaches"
                    + " a listener at PATH_P. Without it, the checks that need a host peer are not checkable.")
    Path vsockUds;

    @Option(names = "--net-peer", paramLabel = "echo|IPV4",
            description = "net: what answers behind the device: 'echo' for a peer that returns every unicast frame with"
                    + " the addresses swapped (testpmd --forward-mode=macswap, avps-serve --echo), or the IPv4 address"
                    + " of a host answering ARP and ICMP echo (avps-serve --host-ip). Without it, the checks that need"
                    + " a frame back are not checkable.")
    String netPeer;

    @Option(names = "--list", description = "List the checks for the device and exit.")
    boolean list;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; the exit code it would end with. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ConformCommand());
        cl.setOut(out).setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("avps conform: internal error: " + e);
            e.printStackTrace(line.getErr());
            return INTERNAL;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (device == null || socket == null) {
            err.println("avps conform: --device and --socket are required (or the platform subcommand; see --help)");
            return USAGE;
        }
        Catalog catalog;
        try {
            catalog = Catalog.load(device);
        } catch (IOException e) {
            err.println("avps conform: " + e.getMessage());
            return USAGE;
        }
        Set<String> names = null;
        if (features != null) {
            names = new LinkedHashSet<>(features);
            for (String n : names) {
                if (catalog.device().feature(n).isEmpty()) {
                    err.println("avps conform: " + device + " has no feature " + n);
                    return USAGE;
                }
            }
        }
        List<Check> checks = Registry.checksFor(catalog.device());
        if (list) {
            for (Check c : checks) {
                out.println(c.name() + "  [" + String.join(", ", RequirementJoin.requirementsOf(catalog, c.name())) + "]  "
                        + c.description());
            }
            return 0;
        }
        if (only != null) {
            for (String n : only) {
                if (checks.stream().noneMatch(c -> c.name().equals(n))) {
                    err.println("avps conform: no check " + n + " for " + device + " (see --list)");
                    return USAGE;
                }
            }
            checks = checks.stream().filter(c -> only.contains(c.name())).toList();
        }
        if (vsockUds != null && !device.equals("vsock")) {
            err.println("avps conform: --vsock-uds is for --device vsock");
            return USAGE;
        }
        if (netPeer != null && !device.equals("net")) {
            err.println("avps conform: --net-peer is for --device net");
            return USAGE;
        }
        if (netPeer != null && !netPeer.equals("echo") && !netPeer.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            err.println("avps conform: --net-peer takes 'echo' or an IPv4 address, not " + netPeer);
            return USAGE;
        }
        Target target = new Target(socket, catalog).withFeatures(names).withTimeouts(requestMillis, checkMillis)
                .withVsockUds(vsockUds).withNetPeer(netPeer);
        DeviceReport r;
        ShellLauncher launcher = respawn == null ? null : new ShellLauncher(respawn, socket,
                report == null ? null : report.resolve(device + "-backend.log"), Connector.RECONNECT_MILLIS);
        try {
            r = Runner.run(target.withLauncher(launcher), device + " on " + socket, checks);
        } finally {
            if (launcher != null) {
                launcher.close();
            }
        }
        if (launcher != null) {
            out.println("the backend was started " + launcher.starts() + " time(s) by --respawn");
        }
        for (CheckResult c : r.results()) {
            out.printf("%-14s %-40s %s%n", c.verdict().label(), c.check(), c.reason());
        }
        StringBuilder figures = new StringBuilder();
        r.figures().forEach((v, n) -> figures.append(figures.isEmpty() ? "" : ", ").append(n).append(' ')
                .append(v.label()));
        out.println(figures + (r.aborted().isEmpty() ? "" : "; stopped: " + r.aborted()));
        if (report != null) {
            out.println("report: " + HtmlReport.write(r, report) + ", " + JUnitXml.write(r, report));
        }
        boolean internal = r.results().stream().anyMatch(c -> c.reason().startsWith("internal error"));
        return internal ? INTERNAL : r.passed() ? 0 : FAILED;
    }
}
