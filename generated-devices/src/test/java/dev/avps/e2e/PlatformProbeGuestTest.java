package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's automotive platform checked from inside real Linux guests by the probe generated
 * from it ({@code avps generate -t platform-probe}, built with {@code gcc -static}):
 * <ul>
 * <li>our backends (blk, rng, console over vhost-user on QEMU 11 and Linux 7.3) without the disk,
 * beside QEMU's own virtio-net: the platform fails, naming {@code blk.present};
 * <li>QEMU 7.2's built-in virtio devices alone (no backend of ours): the probe works on any
 * hypervisor's devices, and the platform holds there.
 * </ul>
 * The configuration with the disk, where the platform holds, runs in conformance's
 * PlatformGuestAndHostTest, which adds the host checks of the same backends. Each probe output,
 * and the HTML and JUnit XML {@code avps platform-report} makes of it, is kept in
 * {@code target/platform-reports/} for CI to publish.
 */
class PlatformProbeGuestTest {

    @TempDir
    Path dir;

    @Test
    void withoutADiskThePlatformFailsByName() throws Exception {
        String out = PlatformGuests.ours(dir, false, sockets -> { });
        Map<String, String> v = PlatformGuests.verdicts(out, "no-disk");
        assertTrue(out.contains("probe-exit=1"), "the probe exits 1 on a failed MUST:\n" + out);
        assertEquals("fail", v.get("summary"), v.toString());
        assertEquals("fail\tno virtio device with ID 2", v.get("blk.present"));
        assertTrue(v.get("guest_reads_block").startsWith("fail\tno virtio disk"), v.get("guest_reads_block"));
        assertEquals("skip\tdevice absent", v.get("blk.offer.FLUSH"));
        for (String id : List.of("rng.present", "console.present", "net.present", "guest_finds_entropy")) {
            assertTrue(v.get(id).startsWith("pass"), id + ": " + v.get(id));
        }
        assertEquals(1, PlatformGuests.report("no-disk", "no-disk"), "avps platform-report exits 1 when a MUST fails");
        String html = Files.readString(PlatformGuests.REPORTS.resolve("no-disk.html"));
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
        String out = guest.executable("bin/avps-probe", PlatformGuests.probe(dir))
                .qemu("-drive", "file=" + disk + ",if=none,format=raw,id=d0", "-device", "virtio-blk-pci,drive=d0",
                        "-netdev", "user,id=n0,restrict=on", "-device", "virtio-net-pci,netdev=n0",
                        "-device", "virtio-rng-pci",
                        "-chardev", "null,id=c0", "-device", "virtio-serial-pci", "-device", "virtconsole,chardev=c0")
                .script(PlatformGuests.PROBE_SCRIPT).boot(dir, 256, 240);
        Map<String, String> v = PlatformGuests.verdicts(out, "qemu-builtin");
        assertTrue(out.contains("probe-exit=0"), out);
        assertEquals("pass", v.get("summary"), v.toString());
        // virtio-pci lets the probe read what each device offers, its queues and its config space.
        assertTrue(v.get("blk.offer.FLUSH").matches("pass\tvirtio\\d+ offers bit 9: yes"), v.get("blk.offer.FLUSH"));
        assertTrue(v.get("blk.config.seg_max").matches("pass\tvirtio\\d+: \\d+ >= 1"), v.get("blk.config.seg_max"));
        assertTrue(v.get("blk.queue_size").matches("pass\tvirtio\\d+ sizes 256"), v.get("blk.queue_size"));
        assertTrue(v.get("net.queues").startsWith("pass"), v.get("net.queues"));
        assertEquals(0, PlatformGuests.report("qemu-builtin", "qemu-builtin"));
    }
}
