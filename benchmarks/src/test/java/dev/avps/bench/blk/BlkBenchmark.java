package dev.avps.bench.blk;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.e2e.Guest;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guest dd throughput through our vhost-user-blk backend against qemu-storage-daemon's, on the
 * same image and the same guest, alternating backends round by round. Run by
 * benchmarks/blk-vs-qsd; writes the table to generated-devices/BENCHMARKS.md. Not a test: the
 * numbers are reported, not asserted (it sits in the benchmarks module's test sources because it
 * boots guests with generated-devices' test helpers, which come from that module's test jar).
 */
public final class BlkBenchmark {

    /** busybox `time` output: "real\t0m 0.74s" (10 ms resolution; Debian's busybox dd prints no timing). */
    static final Pattern SECONDS = Pattern.compile("real\\s+(\\d+)m\\s*([0-9.]+)s");

    /** The guest's view of the device's write cache before the script switches it, and after. */
    static final Pattern CACHE = Pattern.compile("cache: (write back|write through) -> (write back|write through)");

    /** {@code cache} is the write-cache mode the backend presented to the guest at boot. */
    record Round(String backend, double readSeconds, double writeSeconds, String cache) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path out = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        Path dir = Files.createTempDirectory("blk-bench");
        Path image = dir.resolve("disk.img");
        try (var ch = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), 96L * (1 << 20) - 1);
        }
        List<Round> java = new ArrayList<>();
        List<Round> qsd = new ArrayList<>();
        // One uncounted round each: the JVM compiles the backend's hot paths during its first
        // guest (qemu-storage-daemon is native), and both get a warm page cache for the image.
        System.err.printf(Locale.ROOT, "warm-up: java %s, qsd %s%n", runJava(dir, image), runQsd(dir, image));
        for (int i = 0; i < rounds; i++) {
            // Alternate which goes first so drift on the machine hits both alike.
            if (i % 2 == 0) {
                java.add(runJava(dir, image));
                qsd.add(runQsd(dir, image));
            } else {
                qsd.add(runQsd(dir, image));
                java.add(runJava(dir, image));
            }
            System.err.printf(Locale.ROOT, "round %d: java %s, qsd %s%n", i + 1, java.get(i), qsd.get(i));
        }
        String report = report(java, qsd, rounds);
        // The file's first section is QemuImgBench's table: keep it as it is.
        String previous = Files.exists(out) ? Files.readString(out) : "";
        int b = previous.indexOf(QemuImgBench.BEGIN);
        int e = previous.indexOf(QemuImgBench.END);
        String keep = b >= 0 && e > b ? previous.substring(b, e + QemuImgBench.END.length()) + "\n\n" : "";
        Files.writeString(out, keep + report);
        System.out.print(report);
    }

    static String script() {
        // qemu-storage-daemon 7.2 presents writeback = 0, so its guest sends no FLUSH and conv=fsync
        // costs it no host fdatasync, although its host writes sit in the page cache. Our backend
        // presents writeback = 1 and syncs on FLUSH. Both offer CONFIG_WCE, so the guest switches
        // both to write-back (virtio_blk's cache_type writes the config byte through to the
        // backend): then both receive the same FLUSH and make the same fdatasync.
        return String.join("\n",
                "before=$(cat /sys/block/vda/queue/write_cache)",
                "echo 'write back' > /sys/block/vda/cache_type",
                "echo \"cache: $before -> $(cat /sys/block/vda/queue/write_cache)\"",
                "time sh -c 'dd if=/dev/vda of=/dev/null bs=1M count=64 2>/dev/null' 2>&1 | grep real",
                "time sh -c 'dd if=/dev/zero of=/dev/vda bs=1M count=64 conv=fsync 2>/dev/null' 2>&1 | grep real");
    }

    static Round parse(String backend, String out) {
        Matcher m = SECONDS.matcher(out);
        double[] s = new double[2];
        for (int i = 0; i < 2; i++) {
            if (!m.find()) {
                throw new IllegalStateException("no dd timing in guest output:\n" + out);
            }
            s[i] = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        }
        Matcher c = CACHE.matcher(out);
        if (!c.find()) {
            throw new IllegalStateException("no write-cache mode in guest output:\n" + out);
        }
        if (!c.group(2).equals("write back")) {
            // The write figures would compare a synced backend with an unsynced one.
            throw new IllegalStateException(backend + ": the guest could not switch the write cache to write back");
        }
        return new Round(backend, s[0], s[1], c.group(1));
    }

    static Guest guest(Path sock) throws Exception {
        return Guest.cloudKernel().module("virtio_pci").module("virtio_blk")
                .qemu("-chardev", "socket,id=blk0,path=" + sock, "-device", "vhost-user-blk-pci,chardev=blk0,num-queues=1")
                .script(script());
    }

    static Round runJava(Path dir, Path image) throws Exception {
        Path sock = dir.resolve("java.sock");
        try (BlkDevice blk = new BlkDevice(image, false, "bench"); VhostUserServer s = VhostUserServer.start(sock, blk)) {
            return parse("java", guest(sock).boot(dir, 256, 300));
        }
    }

    static Round runQsd(Path dir, Path image) throws Exception {
        Path sock = dir.resolve("qsd.sock");
        Files.deleteIfExists(sock);
        Process qsd = new ProcessBuilder("qemu-storage-daemon",
                "--blockdev", "driver=file,node-name=file0,filename=" + image,
                "--blockdev", "driver=raw,node-name=disk0,file=file0",
                "--export", "type=vhost-user-blk,id=exp0,node-name=disk0,addr.type=unix,addr.path=" + sock
                        + ",writable=on,num-queues=1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qsd.log").toFile()).start();
        try {
            for (int i = 0; i < 500 && !Files.exists(sock); i++) {
                Thread.sleep(10);
            }
            return parse("qsd", guest(sock).boot(dir, 256, 300));
        } finally {
            qsd.destroy();
            qsd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String report(List<Round> java, List<Round> qsd, int rounds) {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmark: guest dd through the Java vhost-user-blk backend vs qemu-storage-daemon\n\n");
        b.append("Written by `benchmarks/blk-vs-qsd`; do not edit by hand.\n\n");
        b.append(String.format(Locale.ROOT, "- machine: %d cores, %s; JDK %s; %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"), "QEMU " + qemuVersion()));
        b.append("- guest: Debian cloud kernel, q35 under TCG, 256 MiB, one vhost-user-blk-pci queue; ")
                .append("the same 96 MiB image for both backends\n");
        b.append("- workload per round, in a freshly booted guest: `dd if=/dev/vda of=/dev/null bs=1M count=64`, ")
                .append("then `dd if=/dev/zero of=/dev/vda bs=1M count=64 conv=fsync`, each timed by busybox `time` ")
                .append("(10 ms resolution)\n");
        b.append(String.format(Locale.ROOT, "- write cache as each backend presents it at boot: Java `%s`, "
                + "qemu-storage-daemon `%s`. Before timing, the guest switches both to `write back` through "
                + "virtio_blk's `cache_type` (both offer CONFIG_WCE; the run stops if either stays write-through), so "
                + "`conv=fsync` sends each the same FLUSH and each makes the same host fdatasync. Left as presented, "
                + "qemu-storage-daemon gets no FLUSH at all (its writes stay unsynced in the host page cache) while "
                + "ours are synced, and the write figures would not compare the same work.%n",
                modes(java), modes(qsd)));
        b.append(String.format(Locale.ROOT, "- %d rounds per backend, alternating which backend runs first, after "
                + "one uncounted warm-up round each (the JVM compiles the backend's hot paths in its first guest; "
                + "qemu-storage-daemon is native)%n%n", rounds));
        b.append("Throughput ratio = qemu-storage-daemon time / Java time (above 1.0: Java is faster).\n\n");
        b.append("| workload | Java s (min / median / max) | qsd s (min / median / max) | ratio (min / median / max) |\n");
        b.append("|---|---|---|---|\n");
        row(b, "64 MiB read", java.stream().mapToDouble(Round::readSeconds).toArray(),
                qsd.stream().mapToDouble(Round::readSeconds).toArray());
        row(b, "64 MiB write + fsync", java.stream().mapToDouble(Round::writeSeconds).toArray(),
                qsd.stream().mapToDouble(Round::writeSeconds).toArray());
        return b.toString();
    }

    static String modes(List<Round> rounds) {
        return String.join("/", rounds.stream().map(Round::cache).distinct().toList());
    }

    static void row(StringBuilder b, String name, double[] java, double[] qsd) {
        double[] ratio = new double[java.length];
        for (int i = 0; i < java.length; i++) {
            ratio[i] = qsd[i] / java[i];
        }
        b.append("| ").append(name).append(" | ").append(stats(java)).append(" | ").append(stats(qsd)).append(" | ")
                .append(stats(ratio)).append(" |\n");
    }

    static String stats(double[] v) {
        return dev.avps.bench.Figures.stats(v, "%.3f");
    }

    static String qemuVersion() {
        try {
            Process p = new ProcessBuilder("qemu-system-x86_64", "--version").start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
            return first.replace("QEMU emulator version ", "");
        } catch (Exception e) {
            return "?";
        }
    }
}
