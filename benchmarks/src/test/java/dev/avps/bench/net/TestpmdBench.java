package dev.avps.bench.net;

import dev.avps.bench.Figures;
import dev.avps.e2e.Peer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * virtio-net without a guest: DPDK's testpmd drives a vhost-user-net backend through its
 * virtio-user PMD (the front end), against our Java backend and against DPDK's own vhost PMD
 * doing the same work, alternating which goes first round by round. Two workloads, each at 64- and
 * 1500-byte frames:
 * <ul>
 * <li><b>sink</b>: the front end only transmits (txonly); ours drops every frame in its switch (no
 * other port), DPDK's vhost PMD runs rxonly. Measured: the front end's transmit rate.</li>
 * <li><b>echo</b>: the front end sends one burst, then sends every frame it receives back with its
 * addresses swapped (macswap); ours returns each frame through its switch's echo port, DPDK's
 * vhost PMD runs macswap too. Measured: the front end's receive rate, so every counted frame went
 * through the device's transmit and receive paths.</li>
 * </ul>
 * The backend runs on CPU 0 and the front end on CPU 1 (two lcores mapped to it: testpmd's main
 * lcore only prints statistics). Our backend is one process per workload for the whole run,
 * warmed up by one uncounted run; DPDK's is started for each run (a vhost PMD polls at full speed
 * even while nothing is connected, so it cannot wait beside the other). Run by
 * benchmarks/net-testpmd, which writes the table into generated-devices/BENCHMARKS.md. Not a
 * test: the numbers are reported, not asserted.
 */
public final class TestpmdBench {

    static final String BEGIN = "<!-- net testpmd: begin -->";
    static final String END = "<!-- net testpmd: end -->";
    /** One line of testpmd's periodic statistics: "  Tx-pps:  162490  Tx-bps:  83195032". */
    static final Pattern RATE = Pattern.compile("(Rx|Tx)-pps:\\s+(\\d+)\\s+(?:Rx|Tx)-bps:\\s+(\\d+)");
    /** Statistics printed before counting (start-up, ring filling, the JIT's last compilations). */
    static final int SKIP = 2;
    /** One-second samples averaged into one run's figure. */
    static final int SAMPLES = 5;
    static final int[] SIZES = {64, 1500};

    enum Workload {
        sink("--forward-mode=txonly", "--forward-mode=rxonly", "Tx"),
        echo("--forward-mode=macswap", "--forward-mode=macswap", "Rx");

        final String frontEndMode;
        final String dpdkBackendMode;
        /** Which of the front end's rates counts. */
        final String counted;

        Workload(String frontEndMode, String dpdkBackendMode, String counted) {
            this.frontEndMode = frontEndMode;
            this.dpdkBackendMode = dpdkBackendMode;
            this.counted = counted;
        }
    }

    /** One run's figure: packets and bits per second, averaged over the counted samples. */
    record Rate(double pps, double bps) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path out = args.length > 1 ? Path.of(args[1]) : null;
        Path serve = Path.of(args.length > 2 ? args[2] : "bin/avps-serve").toAbsolutePath();
        Path dir = Files.createTempDirectory("net-testpmd-bench");
        Workload[] workloads = Workload.values();
        // [workload][size] -> one rate per round, for each backend
        List<List<List<Rate>>> java = new ArrayList<>();
        List<List<List<Rate>>> dpdk = new ArrayList<>();
        List<Peer> ours = new ArrayList<>();
        try {
            for (Workload w : workloads) {
                ours.add(startJava(serve, dir, w));
                java.add(perSize());
                dpdk.add(perSize());
            }
            for (Workload w : workloads) {
                for (int size : SIZES) {
                    // Uncounted: the JVM compiles the backend's paths for this workload.
                    Rate warm = frontEnd(dir, ours.get(w.ordinal()).socket(), w, size);
                    System.err.printf(Locale.ROOT, "warm-up %s %d: %.3f Mpps%n", w, size, warm.pps() / 1e6);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (Workload w : workloads) {
                    for (int s = 0; s < SIZES.length; s++) {
                        int size = SIZES[s];
                        Peer j = ours.get(w.ordinal());
                        Rate a;
                        Rate b;
                        // Alternate which goes first, so drift on the machine hits both alike.
                        if (r % 2 == 0) {
                            a = frontEnd(dir, j.socket(), w, size);
                            b = dpdkRun(dir, w, size);
                        } else {
                            b = dpdkRun(dir, w, size);
                            a = frontEnd(dir, j.socket(), w, size);
                        }
                        if (!j.alive()) {
                            throw new IllegalStateException(j.name() + " died; its log:\n" + j.log());
                        }
                        java.get(w.ordinal()).get(s).add(a);
                        dpdk.get(w.ordinal()).get(s).add(b);
                        System.err.printf(Locale.ROOT, "round %d %s %d: java %.3f Mpps, dpdk %.3f Mpps%n", r + 1, w,
                                size, a.pps() / 1e6, b.pps() / 1e6);
                    }
                }
            }
        } finally {
            for (Peer p : ours) {
                p.close();
            }
        }
        String report = report(rounds, java, dpdk);
        System.out.print(report);
        if (out != null) {
            Figures.writeSection(out, report, BEGIN, END);
        }
    }

    static List<List<Rate>> perSize() {
        List<List<Rate>> l = new ArrayList<>();
        for (int ignored : SIZES) {
            l.add(new ArrayList<>());
        }
        return l;
    }

    static Peer startJava(Path serve, Path dir, Workload w) throws IOException, InterruptedException {
        Path sock = dir.resolve("java-" + w + ".sock");
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0", serve.toString(), "--device", "net",
                "--socket", sock.toString(), "--queue-pairs", "1"));
        if (w == Workload.echo) {
            cmd.add("--echo");
        }
        return Peer.start("java net backend (" + w + ")", new ProcessBuilder(cmd), sock,
                dir.resolve("java-" + w + ".log"), 60, "listening on " + sock);
    }

    /** DPDK's vhost PMD serving one run on CPU 0, then stopped. */
    static Rate dpdkRun(Path dir, Workload w, int size) throws Exception {
        Path sock = dir.resolve("dpdk.sock");
        Files.deleteIfExists(sock);
        List<String> cmd = List.of("dpdk-testpmd", "--no-huge", "-m", "1024", "--no-pci", "--lcores", "0@0,1@0",
                "--file-prefix=vh-" + ProcessHandle.current().pid(), "--vdev",
                "net_vhost0,iface=" + sock + ",queues=1", "--", "--total-num-mbufs=8192", w.dpdkBackendMode,
                "--port-topology=loop", "--auto-start");
        try (Peer p = Peer.start("dpdk vhost PMD (" + w + ")", new ProcessBuilder(cmd), sock,
                dir.resolve("dpdk-" + w + ".log"), 60, null)) {
            return frontEnd(dir, sock, w, size);
        }
    }

    /** One front-end run against the backend on {@code socket}: the mean of the counted samples. */
    static Rate frontEnd(Path dir, Path socket, Workload w, int size) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dpdk-testpmd", "--no-huge", "-m", "1024", "--no-pci", "--lcores",
                "0@1,1@1", "--file-prefix=vu-" + ProcessHandle.current().pid(), "--vdev",
                "net_virtio_user0,path=" + socket + ",queues=1", "--", "--total-num-mbufs=8192", w.frontEndMode,
                "--txpkts=" + size, "--port-topology=loop", "--auto-start", "--stats-period", "1"));
        if (w == Workload.echo) {
            cmd.add("--tx-first");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // A front end that never gets going prints nothing to read: stop it rather than wait forever.
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!p.waitFor(SKIP + SAMPLES + 60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException done) {
                // the run ended in time
            }
        });
        StringBuilder log = new StringBuilder();
        List<Rate> samples = new ArrayList<>();
        int seen = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (samples.size() < SAMPLES && (line = in.readLine()) != null) {
                log.append(line).append('\n');
                Matcher m = RATE.matcher(line);
                if (m.find() && m.group(1).equals(w.counted) && seen++ >= SKIP) {
                    samples.add(new Rate(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))));
                }
            }
            // With --stats-period testpmd no longer reads stdin; SIGTERM makes it stop forwarding,
            // close its port (the backend sees the front end go) and exit.
            p.destroy();
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            watchdog.interrupt();
        }
        if (samples.size() < SAMPLES) {
            throw new IllegalStateException("testpmd (front end, " + w + ", " + size + " bytes) printed "
                    + samples.size() + " counted samples; its output:\n" + log);
        }
        double pps = samples.stream().mapToDouble(Rate::pps).average().orElseThrow();
        double bps = samples.stream().mapToDouble(Rate::bps).average().orElseThrow();
        if (pps == 0) {
            throw new IllegalStateException("no traffic through " + socket + " (" + w + ", " + size + " bytes)");
        }
        return new Rate(pps, bps);
    }

    static String report(int rounds, List<List<List<Rate>>> java, List<List<List<Rate>>> dpdk) throws Exception {
        StringBuilder b = new StringBuilder();
        b.append(BEGIN).append('\n');
        b.append("# Benchmark: DPDK testpmd as the front end, the Java vhost-user-net backend vs DPDK's vhost PMD\n\n");
        b.append("Written by `benchmarks/net-testpmd` (regenerate: `benchmarks/net-testpmd ").append(rounds)
                .append("`); do not edit by hand.\n\n");
        b.append("- machine: ").append(Figures.machine()).append(" (the backend's `java`)\n");
        b.append("- front end: `dpdk-testpmd` ")
                .append(Figures.firstLine("dpkg-query", "-W", "-f", "${Version}", "dpdk-dev"))
                .append(" with its virtio-user PMD"
                + " (`--vdev net_virtio_user0,path=SOCK,queues=1`), no hugepages (`--no-huge -m 1024`), on CPU 1\n");
        b.append("- backends, on CPU 0: our Java backend (`taskset -c 0 bin/avps-serve --device net --queue-pairs 1`,"
                + " plus `--echo` for the echo rows), one process per workload, after one uncounted warm-up run"
                + " per row; DPDK's vhost PMD (`--vdev net_vhost0,iface=SOCK,queues=1`, `--lcores 0@0,1@0`),"
                + " started for each run\n");
        b.append("- sink: front end `--forward-mode=txonly`; ours drops each frame in its switch (no other port),"
                + " DPDK's runs `--forward-mode=rxonly`. Counted: the front end's Tx-pps\n");
        b.append("- echo: front end `--forward-mode=macswap --tx-first` (one burst, then every frame received is"
                + " sent back); ours returns each frame through its switch's echo port, DPDK's runs"
                + " `--forward-mode=macswap`. Counted: the front end's Rx-pps, so each frame crossed the device's"
                + " transmit and receive paths\n");
        b.append("- each run: testpmd's one-second statistics, the first ").append(SKIP)
                .append(" skipped, the mean of the next ").append(SAMPLES).append("; ").append(rounds)
                .append(" rounds, alternating which backend goes first; Gbit/s is testpmd's bit rate (frame bytes,"
                        + " no preamble or gap)\n\n");
        b.append("Ratio = Java / DPDK of the same round (above 1.0: Java moves more).\n\n");
        b.append("| workload | frame | Java Mpps (min / median / max) | DPDK Mpps (min / median / max) |"
                + " Java / DPDK Gbit/s (medians) | ratio (min / median / max) |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (Workload w : Workload.values()) {
            for (int s = 0; s < SIZES.length; s++) {
                List<Rate> j = java.get(w.ordinal()).get(s);
                List<Rate> d = dpdk.get(w.ordinal()).get(s);
                double[] jp = j.stream().mapToDouble(r -> r.pps() / 1e6).toArray();
                double[] dp = d.stream().mapToDouble(r -> r.pps() / 1e6).toArray();
                double[] ratio = new double[jp.length];
                for (int i = 0; i < jp.length; i++) {
                    ratio[i] = jp[i] / dp[i];
                }
                b.append("| ").append(w).append(" | ").append(SIZES[s]).append(" B | ").append(Figures.stats(jp, "%.3f"))
                        .append(" | ").append(Figures.stats(dp, "%.3f")).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f / %.2f",
                                Figures.median(j.stream().mapToDouble(r -> r.bps() / 1e9).toArray()),
                                Figures.median(d.stream().mapToDouble(r -> r.bps() / 1e9).toArray())))
                        .append(" | ").append(Figures.stats(ratio, "%.2f")).append(" |\n");
            }
        }
        b.append('\n').append(END).append('\n');
        return b.toString();
    }

}
