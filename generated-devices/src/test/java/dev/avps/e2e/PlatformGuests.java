package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.cli.AvpsCli;
import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.console.ConsoleDevice;
import dev.avps.devices.rng.RngDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pieces of a platform run in a guest, shared by generated-devices' PlatformProbeGuestTest
 * and conformance's guest-and-host run (same package, through this module's test jar): the probe
 * generated from the catalog and built static, the configuration of our backends, reading the
 * verdicts back and {@code avps platform-report} over them. Outputs and reports are kept in
 * {@code target/platform-reports/} of the module running the test.
 */
final class PlatformGuests {

    static final Path REPORTS = Path.of("target/platform-reports");

    /** Runs the probe and says how it exited, so a crash shows as such rather than as missing verdicts. */
    static final String PROBE_SCRIPT = "/bin/avps-probe\necho probe-exit=$?";

    /** What to do with the backends' sockets (by catalog device name) once the guest is done, before they close. */
    @FunctionalInterface
    interface AfterGuest {
        void run(Map<String, Path> sockets) throws Exception;
    }

    private PlatformGuests() {
    }

    /**
     * Lab guest (QEMU 11, Linux 7.3): our blk (optionally), rng and console backends with the
     * arguments {@code avps qemu-args} derives, and QEMU's own virtio-net on restricted user
     * networking (no traffic leaves the guest). Returns the guest's output.
     */
    static String ours(Path dir, boolean withDisk, AfterGuest after) throws Exception {
        Guest guest = Guest.lab();
        for (String m : List.of("virtio_blk", "virtio_net", "virtio_console", "virtio_rng")) {
            guest.module(m);
        }
        List<AutoCloseable> open = new ArrayList<>();
        Map<String, Path> sockets = new LinkedHashMap<>();
        try {
            List<String> args = new ArrayList<>();
            if (withDisk) {
                Path image = dir.resolve("disk.img");
                try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                    f.setLength(16L << 20);
                }
                BlkDevice blk = new BlkDevice(image, false, "avps-platform");
                open.add(blk);
                Path sock = dir.resolve("blk.sock");
                open.add(VhostUserServer.start(sock, blk));
                sockets.put("blk", sock);
                args.addAll(ModelQemuArgs.of("--device", "blk", "--socket", sock.toString(), "--id", "blk0"));
            }
            Path rngSock = dir.resolve("rng.sock");
            open.add(VhostUserServer.start(rngSock, new RngDevice()));
            sockets.put("rng", rngSock);
            args.addAll(ModelQemuArgs.of("--device", "rng", "--socket", rngSock.toString(), "--id", "rng0"));
            ConsoleDevice console = new ConsoleDevice();
            Path conSock = dir.resolve("console.sock");
            open.add(VhostUserServer.start(conSock, console));
            sockets.put("console", conSock);
            args.addAll(ConsoleGuestTest.qemuArgs(console, conSock));
            args.addAll(List.of("-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-pci,netdev=n0"));
            String out = guest.executable("bin/avps-probe", probe(dir)).qemu(args.toArray(String[]::new))
                    .script(PROBE_SCRIPT).boot(dir, 256, 300);
            after.run(sockets);
            return out;
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** The probe generated from the catalog and built static for the guest. */
    static byte[] probe(Path dir) throws IOException, InterruptedException {
        Guest.require(Guest.onPath("gcc"), "gcc is not installed");
        Path out = dir.resolve("gen");
        StringWriter err = new StringWriter();
        assertEquals(0, AvpsCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "generate", "-t",
                "platform-probe", "-o", out.toString(), ModelQemuArgs.CATALOG), "avps generate: " + err);
        Path source = out.resolve("probe/automotive-probe.c");
        Path binary = dir.resolve("avps-probe");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(),
                source.toString()).redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc -static on the probe: " + log);
        return Files.readAllBytes(binary);
    }

    /** The verdicts by ID ("pass\tdetail"), the summary under "summary"; the output is kept as NAME.txt. */
    static Map<String, String> verdicts(String out, String name) throws IOException {
        Files.createDirectories(REPORTS);
        Files.writeString(REPORTS.resolve(name + ".txt"), out);
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int at = line.indexOf("AVPS-VERDICT\t");
            int sum = line.indexOf("AVPS-SUMMARY\t");
            if (at >= 0) {
                String[] f = line.substring(at).split("\t", 4);
                v.put(f[1], f[2] + "\t" + (f.length > 3 ? f[3] : ""));
            } else if (sum >= 0) {
                v.put("summary", line.substring(sum).split("\t")[3]);
            }
        }
        return v;
    }

    /**
     * {@code avps platform-report} over kept outputs (NAME.txt for each source): REPORT.html and
     * REPORT.xml beside them; returns its exit status (0 holds, 1 a MUST failed).
     */
    static int report(String report, String... sources) {
        StringWriter err = new StringWriter();
        List<String> cli = new ArrayList<>(List.of("platform-report", ModelQemuArgs.CATALOG, "--platform", "automotive"));
        for (String s : sources) {
            cli.addAll(List.of("--verdicts", REPORTS.resolve(s + ".txt").toString()));
        }
        cli.addAll(List.of("--html", REPORTS.resolve(report + ".html").toString(), "--junit",
                REPORTS.resolve(report + ".xml").toString()));
        int rc = AvpsCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), cli.toArray(String[]::new));
        assertTrue(rc == 0 || rc == 1, "avps platform-report: " + err);
        assertTrue(Files.isRegularFile(REPORTS.resolve(report + ".xml")));
        return rc;
    }
}
