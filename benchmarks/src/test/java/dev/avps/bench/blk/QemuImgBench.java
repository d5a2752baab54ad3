package dev.avps.bench.blk;

import dev.avps.bench.Figures;
import dev.avps.e2e.Lab;
import dev.avps.e2e.Peer;
import dev.avps.e2e.Peers;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blk backend measured without a guest: QEMU 11's {@code qemu-img bench} drives it through
 * libblkio's virtio-blk-vhost-user driver (from the lab), against our Java backend and against
 * qemu-storage-daemon 11 (as is, and with an iothread) on the same image, rotating which goes
 * first round by round. Each
 * backend is one process for the whole run, warmed up by one uncounted round; its CPU time per
 * workload comes from /proc/PID/stat. Run by benchmarks/blk-qemu-img, which writes the table
 * into generated-devices/BENCHMARKS.md. Not a test: the numbers are reported, not asserted.
 */
public final class QemuImgBench {

    /** "Run completed in 1.234 seconds." */
    static final Pattern DONE = Pattern.compile("Run completed in ([0-9.]+) seconds");
    static final long IMAGE = 256L << 20;
    static final String BEGIN = "<!-- qemu-img bench: begin -->";
    static final String END = "<!-- qemu-img bench: end -->";

    /**
     * One qemu-img bench invocation. qemu-img bench has no random mode: it steps through the image
     * by {@code step} bytes, wrapping at the end. The 4 KiB rows step 1 MiB + 4 KiB (257 pages), so
     * consecutive requests land far apart and the whole 256 MiB image is covered.
     */
    record Workload(String name, int count, int depth, int size, long step, boolean write) {
        List<String> args(Path socket) {
            List<String> a = new ArrayList<>(List.of("qemu-img", "bench", "--image-opts", "-c",
                    Integer.toString(count), "-d", Integer.toString(depth), "-s", Integer.toString(size), "-S",
                    Long.toString(step)));
            if (write) {
                // One flush after the last write, inside the timing: the writes must reach the file.
                a.addAll(List.of("-w", "--flush-interval=" + count));
            }
            a.add("driver=virtio-blk-vhost-user,path=" + socket + ",cache.direct=on");
            return a;
        }
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("4 KiB strided read, depth 1", 20_000, 1, 4096, (1 << 20) + 4096, false),
            new Workload("4 KiB strided read, depth 32", 200_000, 32, 4096, (1 << 20) + 4096, false),
            new Workload("4 KiB strided write, depth 32, then flush", 100_000, 32, 4096, (1 << 20) + 4096, true),
            new Workload("1 MiB sequential read, depth 8", 4_000, 8, 1 << 20, 1 << 20, false));

    /** One workload's result: I/O per second and the backend's CPU seconds for it. */
    record Sample(double iops, double cpuSeconds, int count) {
        double cpuMicrosPerIo() {
            return cpuSeconds * 1e6 / count;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path out = args.length > 1 ? Path.of(args[1]) : null;
        Path serve = Path.of(args.length > 2 ? args[2] : "bin/avps-serve").toAbsolutePath();
        Path dir = Files.createTempDirectory("blk-qemu-img-bench");
        Path image = dir.resolve("disk.img");
        fill(image);
        ProcessBuilder javaCmd = new ProcessBuilder(serve.toString(), "--device", "blk", "--socket",
                dir.resolve("java.sock").toString(), "--image", image.toString());
        // [backend][workload] -> one sample per round
        List<List<List<Sample>>> results = new ArrayList<>();
        try (Peer j = Peer.start("java blk backend", javaCmd, dir.resolve("java.sock"), dir.resolve("java.log"), 60,
                "listening on " + dir.resolve("java.sock"));
                Peer q = Peers.qemuStorageDaemon(Peers.Qsd.V11, dir, image, true, false, "qsd");
                Peer qi = Peers.qemuStorageDaemon(Peers.Qsd.V11, dir, image, true, true, "qsd-iothread")) {
            List<Peer> backends = List.of(j, q, qi);
            for (int b = 0; b < backends.size(); b++) {
                List<List<Sample>> perWorkload = new ArrayList<>();
                WORKLOADS.forEach(w -> perWorkload.add(new ArrayList<>()));
                results.add(perWorkload);
                // Uncounted warm-up: the JVM compiles the backend's hot paths; all get a warm page cache.
                round(dir, backends.get(b), null);
            }
            for (int r = 0; r < rounds; r++) {
                // Rotate which backend goes first, so drift on the machine hits all alike.
                for (int k = 0; k < backends.size(); k++) {
                    int b = (r + k) % backends.size();
                    round(dir, backends.get(b), results.get(b));
                }
                System.err.printf(Locale.ROOT, "round %d done%n", r + 1);
            }
        }
        deleteTree(dir);
        String report = report(rounds, results);
        System.out.print(report);
        if (out != null) {
            Figures.writeSection(out, report, BEGIN, END);
        }
    }

    /** The work directory holds a 256 MiB image: it goes once the backends have stopped. */
    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void fill(Path image) throws IOException {
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(13);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            for (long at = 0; at < IMAGE; at += chunk.length) {
                random.nextBytes(chunk);
                f.write(chunk);
            }
        }
    }

    static void round(Path dir, Peer backend, List<List<Sample>> into) throws Exception {
        for (int w = 0; w < WORKLOADS.size(); w++) {
            Workload wl = WORKLOADS.get(w);
            double cpu0 = backend.cpuSeconds();
            String text = Lab.run(List.of(dir), 600, wl.args(backend.socket()).toArray(String[]::new));
            double cpu = backend.cpuSeconds() - cpu0;
            Matcher m = DONE.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no timing in qemu-img bench output for " + backend.name() + ":\n"
                        + text);
            }
            double seconds = Double.parseDouble(m.group(1));
            if (into != null) {
                into.get(w).add(new Sample(wl.count() / seconds, cpu, wl.count()));
            }
            if (!backend.alive()) {
                throw new IllegalStateException(backend.name() + " died; its log:\n" + backend.log());
            }
        }
    }

    static String report(int rounds, List<List<List<Sample>>> results) throws Exception {
        StringBuilder b = new StringBuilder();
        b.append(BEGIN).append('\n');
        b.append("# Benchmark: qemu-img bench through libblkio, the Java vhost-user-blk backend vs"
                + " qemu-storage-daemon 11, no guest\n\n");
        b.append("Written by `benchmarks/blk-qemu-img` (regenerate: `benchmarks/blk-qemu-img ")
                .append(rounds).append("`); do not edit by hand.\n\n");
        b.append("- machine: ").append(Figures.machine()).append(" (the backend's `java`)\n");
        b.append("- front end: ").append(Lab.run(List.of(), 60, "qemu-img", "--version").lines().findFirst()
                .orElse("?")).append(" (the lab's, `.ci/lab`), libblkio ")
                .append(Lab.run(List.of(), 60, "dpkg-query", "-W", "-f", "${Version}", "libblkio1").trim())
                .append(", `--image-opts driver=virtio-blk-vhost-user,cache.direct=on`\n");
        b.append("- backends, one process each for the whole run, rotating which goes first each round, after one"
                + " uncounted warm-up round each: our Java backend (`bin/avps-serve --device blk`), and ")
                .append(Lab.run(List.of(), 60, "qemu-storage-daemon", "--version").lines().findFirst()
                        .orElse("?"))
                .append(" (`--export type=vhost-user-blk`, one queue, the file opened buffered like ours) twice: as"
                        + " is (the export runs in the main loop) and with the export in an iothread"
                        + " (`--object iothread,id=io0 ... iothread=io0`)\n");
        b.append("- the same 256 MiB image of random bytes for all, in the host page cache; ").append(rounds)
                .append(" rounds per backend\n");
        b.append("- qemu-img bench has no random mode; the 4 KiB rows step 1 MiB + 4 KiB through the image"
                + " (wrapping), so consecutive requests land far apart\n");
        b.append("- CPU: the backend process's user + system time over each run, from /proc/PID/stat (10 ms"
                + " ticks)\n\n");
        b.append("IOPS ratio = Java IOPS / qsd IOPS of the same round (above 1.0: Java serves more). CPU ratio ="
                + " Java CPU time per I/O / qsd's in the same round (below 1.0: Java spends less).\n\n");
        table(b, "qemu-storage-daemon as is", results.get(0), results.get(1));
        table(b, "qemu-storage-daemon with an iothread", results.get(0), results.get(2));
        b.append(END).append('\n');
        return b.toString();
    }

    static void table(StringBuilder b, String title, List<List<Sample>> java, List<List<Sample>> qsd) {
        b.append("### Java vs ").append(title).append("\n\n");
        b.append("| workload | Java IOPS (min / median / max) | qsd IOPS (min / median / max) |"
                + " IOPS ratio (min / median / max) | CPU µs per I/O, Java / qsd (medians) |"
                + " CPU ratio (min / median / max) |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (int w = 0; w < WORKLOADS.size(); w++) {
            List<Sample> j = java.get(w);
            List<Sample> q = qsd.get(w);
            double[] ji = j.stream().mapToDouble(Sample::iops).toArray();
            double[] qi = q.stream().mapToDouble(Sample::iops).toArray();
            double[] ratio = new double[ji.length];
            double[] cpuRatio = new double[ji.length];
            for (int i = 0; i < ji.length; i++) {
                ratio[i] = ji[i] / qi[i];
                cpuRatio[i] = j.get(i).cpuMicrosPerIo() / q.get(i).cpuMicrosPerIo();
            }
            b.append("| ").append(WORKLOADS.get(w).name()).append(" | ").append(Figures.stats(ji, "%.0f")).append(" | ")
                    .append(Figures.stats(qi, "%.0f")).append(" | ").append(Figures.stats(ratio, "%.2f")).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f / %.1f",
                            Figures.median(j.stream().mapToDouble(Sample::cpuMicrosPerIo).toArray()),
                            Figures.median(q.stream().mapToDouble(Sample::cpuMicrosPerIo).toArray())))
                    .append(" | ").append(Figures.stats(cpuRatio, "%.2f")).append(" |\n");
        }
        b.append('\n');
    }
}
