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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's automotive platform checked from inside real Linux guests by the probe generated
 * from it ({@code avps generate -t platform-probe}, built with {@code gcc -static}), in three
 * configurations:
 * <ul>
 * <li>our backends (blk, rng, console over vhost-user on QEMU 11 and Linux 7.3) with QEMU's own
 * virtio-net (user networking, restricted: no traffic leaves the guest): the platform holds;
 * <li>the same without the disk: the platform fails, naming {@code blk.present};
 * <li>QEMU 7.2's built-in virtio devices alone (no backend of ours): the probe works on any
 * hypervisor's devices, and the platform holds there too.
 * </ul>
 * Each probe output, and the HTML and JUnit XML report {@code avps platform-report} makes of it,
 * is kept in {@code target/platform-reports/} for CI to publish.
 */
class PlatformProbeGuestTest {

    static final Path REPORTS = Path.of("target/platform-reports");

    @TempDir
    Path dir;

    @Test
    void ourBackendsMeetThePlatform() throws Exception {
        Map<String, String> v = verdicts(runOurs("ours", true), "ours");
        assertEquals("pass", summary(v), v.toString());
        for (String id : List.of("blk.present", "net.present", "console.present", "rng.present", "automotive.transport",
                "guest_finds_entropy", "guest_reads_block", "guest_has_console_port", "no_legacy_only_devices")) {
            assertTrue(v.get(id).startsWith("pass"), id + ": " + v.get(id));
        }
        // virtio-pci lets the probe read what each device offers and its config space, not just what was negotiated.
        assertTrue(v.get("blk.offer.FLUSH").matches("pass\tvirtio\\d+ offers bit 9: yes"), v.get("blk.offer.FLUSH"));
        assertTrue(v.get("blk.queues").matches("pass\tvirtio\\d+: 1 queue\\(s\\)"), v.get("blk.queues"));
        assertTrue(v.get("rng.offer.VERSION_1").startsWith("pass\tvirtio"), v.get("rng.offer.VERSION_1"));
        assertEquals(0, report("ours"), "avps platform-report exits 0 when the platform holds");
    }

    @Test
    void withoutADiskThePlatformFailsByName() throws Exception {
        Map<String, String> v = verdicts(runOurs("no-disk", false), "no-disk");
        assertEquals("fail", summary(v), v.toString());
        assertEquals("fail\tno virtio device with ID 2", v.get("blk.present"));
        assertTrue(v.get("guest_reads_block").startsWith("fail\tno virtio disk"), v.get("guest_reads_block"));
        assertEquals("skip\tdevice absent", v.get("blk.offer.FLUSH"));
        assertTrue(v.get("rng.present").startsWith("pass"), v.get("rng.present"));
        assertEquals(1, report("no-disk"), "avps platform-report exits 1 when a MUST statement fails");
        String html = Files.readString(REPORTS.resolve("no-disk.html"));
        assertTrue(html.contains("The platform fails: blk.present, guest_reads_block."), html);
    }

    @Test
    void qemusOwnDevicesAloneShowTheProbeWorksOnAnyHypervisor() throws Exception {
        Guest guest = Guest.cloudKernel();
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        for (String m : List.of("virtio_pci", "virtio_blk", "virtio_net", "virtio_console", "virtio_rng")) {
            guest.module(m);
        }
        String out = guest.executable("bin/avps-probe", probe())
                .qemu("-drive", "file=" + disk + ",if=none,format=raw,id=d0", "-device", "virtio-blk-pci,drive=d0",
                        "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-pci,netdev=n0",
                        "-device", "virtio-rng-pci",
                        "-chardev", "null,id=c0", "-device", "virtio-serial-pci", "-device", "virtconsole,chardev=c0")
                .script(PROBE_SCRIPT).boot(dir, 256, 240);
        Map<String, String> v = verdicts(out, "qemu-builtin");
        assertEquals("pass", summary(v), v.toString());
        assertTrue(v.get("blk.queue_size").matches("pass\tvirtio\\d+ sizes 256"), v.get("blk.queue_size"));
        assertTrue(v.get("net.queues").startsWith("pass"), v.get("net.queues"));
        assertEquals(0, report("qemu-builtin"));
    }

    /** Runs the probe and says how it exited, so a crash shows as such rather than as missing verdicts. */
    private static final String PROBE_SCRIPT = "/bin/avps-probe\necho probe-exit=$?";

    /** Lab guest: our blk (optionally), rng and console backends, QEMU's virtio-net with restricted user networking. */
    private String runOurs(String name, boolean withDisk) throws Exception {
        Guest guest = Guest.lab();
        for (String m : List.of("virtio_blk", "virtio_net", "virtio_console", "virtio_rng")) {
            guest.module(m);
        }
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<String> args = new ArrayList<>();
            if (withDisk) {
                BlkDevice blk = new BlkDevice(image, false, "avps-platform");
                open.add(blk);
                Path sock = dir.resolve("blk.sock");
                open.add(VhostUserServer.start(sock, blk));
                args.addAll(ModelQemuArgs.of("--device", "blk", "--socket", sock.toString(), "--id", "blk0"));
            }
            Path rngSock = dir.resolve("rng.sock");
            open.add(VhostUserServer.start(rngSock, new RngDevice()));
            args.addAll(ModelQemuArgs.of("--device", "rng", "--socket", rngSock.toString(), "--id", "rng0"));
            ConsoleDevice console = new ConsoleDevice();
            Path conSock = dir.resolve("console.sock");
            open.add(VhostUserServer.start(conSock, console));
            args.addAll(ConsoleGuestTest.qemuArgs(console, conSock));
            args.addAll(List.of("-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-pci,netdev=n0"));
            return guest.executable("bin/avps-probe", probe()).qemu(args.toArray(String[]::new)).script(PROBE_SCRIPT)
                    .boot(dir, 256, 300);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** The probe generated from the catalog and built static for the guest. */
    private byte[] probe() throws IOException, InterruptedException {
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

    /** The probe's verdicts by ID ("pass\tdetail"), its summary under "summary"; the output is kept as NAME.txt. */
    private static Map<String, String> verdicts(String out, String name) throws IOException {
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
        assertTrue(out.contains("probe-exit="), "the probe ran to its end:\n" + out);
        return v;
    }

    private static String summary(Map<String, String> v) {
        return v.get("summary");
    }

    /** {@code avps platform-report} over the kept output: NAME.html and NAME.xml beside it; its exit status. */
    private static int report(String name) {
        StringWriter err = new StringWriter();
        int rc = AvpsCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "platform-report",
                ModelQemuArgs.CATALOG, "--platform", "automotive", "--verdicts", REPORTS.resolve(name + ".txt").toString(),
                "--html", REPORTS.resolve(name + ".html").toString(), "--junit", REPORTS.resolve(name + ".xml").toString());
        assertTrue(rc == 0 || rc == 1, "avps platform-report: " + err);
        assertTrue(Files.isRegularFile(REPORTS.resolve(name + ".xml")));
        return rc;
    }
}
