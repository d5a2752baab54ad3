package dev.avps.conform.platform;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code avps conform platform}: a configuration's backends judged against a platform, from the
 * host side (no guest). Prints, or writes to {@code --verdicts}, one verdict line per statement and
 * a summary. Exit codes: 0 no MUST statement failed, 1 one did, 2 usage, 3 internal.
 */
@Command(name = "platform", mixinStandardHelpOptions = true,
        description = "Judge a configuration's vhost-user backends against a platform of the catalog, from the host"
                + " side: presence, offered features, config bounds and queue counts; what only a guest sees is"
                + " skipped with the reason.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no MUST-level statement failed", "1:a MUST-level statement failed", "2:usage error",
                "3:internal error"})
public final class PlatformCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--platform", required = true, paramLabel = "NAME", description = "The catalog's platform.")
    String platform;

    @Option(names = "--socket", paramLabel = "DEVICE=PATH",
            description = "The backend socket of a catalog device this configuration provides (repeatable).")
    List<String> sockets = List.of();

    @Option(names = "--elsewhere", split = ",", paramLabel = "DEVICE",
            description = "Devices this configuration provides without a vhost-user backend (the hypervisor's own):"
                    + " their statements skip instead of failing for want of a socket.")
    List<String> elsewhere = List.of();

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Load the platform from this directory of .avps files (default: the shipped catalog).")
    Path catalog;

    @Option(names = "--verdicts", paramLabel = "FILE",
            description = "Write the verdict lines here (atomically) instead of to standard output.")
    Path verdicts;

    @Option(names = "--reply-timeout", paramLabel = "MS", defaultValue = "5000",
            description = "How long one vhost-user reply may take (default ${DEFAULT-VALUE}).")
    long replyMillis;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostPlatformCheck.Result r;
        try {
            if (replyMillis <= 0) {
                throw new UsageError("--reply-timeout " + replyMillis + ": must be positive");
            }
            Map<String, Path> byDevice = parseSockets(sockets);
            r = HostPlatformCheck.run(PlatformSource.load(platform, catalog), byDevice,
                    new java.util.LinkedHashSet<>(elsewhere), replyMillis);
        } catch (UsageError e) {
            err.println("avps conform platform: " + e.getMessage());
            return USAGE;
        }
        if (verdicts != null) {
            Verdicts.write(verdicts, r.lines(), r.summary());
            out.println("wrote " + r.lines().size() + " verdicts to " + verdicts + ": " + (r.summary().pass() ? "pass" : "fail"));
        } else {
            out.print(Verdicts.render(r.lines(), r.summary()));
            out.flush();
        }
        return r.summary().pass() ? 0 : FAILED;
    }

    /** DEVICE=PATH pairs, each device once. */
    static Map<String, Path> parseSockets(List<String> given) throws UsageError {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String s : given) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new UsageError("--socket " + s + ": expected DEVICE=PATH, e.g. blk=/tmp/blk.sock");
            }
            String device = s.substring(0, eq);
            if (out.put(device, Path.of(s.substring(eq + 1))) != null) {
                throw new UsageError("--socket " + s + ": " + device + " has a socket already");
            }
        }
        return out;
    }
}
