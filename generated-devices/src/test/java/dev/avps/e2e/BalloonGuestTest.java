package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.balloon.BalloonDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: Linux 7.3's own virtio_balloon driver through QEMU 11's generic
 * vhost-user-test-device-pci and our backend (STATS_VQ, MUST_TELL_HOST; arguments from
 * {@code avps qemu-args}). The driver inflates to the backend's target at probe and writes
 * {@code actual}; the backend then keeps asking for fresh statistics, and their MEMTOT is compared
 * with the guest's own MemTotal. {@code rmmod virtio_balloon} makes the driver deflate every page
 * before it lets go of the device, so the backend's balloon ends empty.
 */
class BalloonGuestTest {

    static final int PAGES = 256;
    static final int RAM_MIB = 256;
    static final String MEMTOT = "VIRTIO_BALLOON_S_MEMTOT";

    @TempDir
    Path dir;

    /** A shell function: {@code vm NAME} prints one /proc/vmstat counter. */
    static final String VM_COUNTER = "vm() { grep \"^$1 \" /proc/vmstat | awk '{print $2}'; }";

    /**
     * Serves {@code balloon} on {@code sock}, starts {@code host} beside the guest, boots the lab
     * guest with virtio_balloon loaded and the script's lines, and returns what the guest printed.
     */
    String boot(Guest guest, BalloonDevice balloon, Path sock, Thread host, String... script) throws Exception {
        host.setDaemon(true);
        try (VhostUserServer server = VhostUserServer.start(sock, balloon)) {
            host.start();
            return guest.module("virtio_balloon").qemu(qemuArgs(balloon, sock).toArray(String[]::new))
                    .script(String.join("\n", script)).boot(dir, RAM_MIB, 420);
        } finally {
            host.interrupt();
            host.join(5_000);
        }
    }

    static List<String> qemuArgs(BalloonDevice d, Path socket) {
        return ModelQemuArgs.of("--device", "balloon", "--socket", socket.toString(), "--id", "balloon0",
                "--features", String.join(",", d.offeredFeatureNames()));
    }

    @Test
    void theGuestInflatesToTheTargetReportsItsMemoryAndDeflatesOnUnload() throws Exception {
        Guest guest = Guest.lab();
        BalloonDevice balloon = new BalloonDevice(PAGES);
        Path sock = dir.resolve("balloon.sock");
        List<String> args = qemuArgs(balloon, sock);
        assertTrue(args.stream().anyMatch(a -> a.startsWith("vhost-user-test-device-pci,") && a.contains("virtio-id=5")
                && a.contains("num_vqs=3") && a.contains("config_size=8")), args.toString());

        // The host's side, beside the guest: once the driver says the balloon is full, note the
        // pages and keep handing the statistics buffer back (with a pause), so the driver resends
        // fresh numbers; the guest sees each hand-back as an interrupt and waits for several.
        AtomicReference<Set<Long>> inflated = new AtomicReference<>();
        Map<String, Long> initial = new java.util.concurrent.ConcurrentHashMap<>();
        List<Map<String, Long>> fresh = new CopyOnWriteArrayList<>();
        Thread host = new Thread(() -> {
            try {
                while (balloon.actual() != PAGES) {
                    Thread.sleep(50);
                }
                inflated.set(balloon.pages());
                initial.putAll(balloon.lastStats());
                while (true) {
                    long seen = balloon.statsUpdates();
                    if (balloon.requestStats()) {
                        Map<String, Long> m = balloon.awaitStats(seen, 60_000);
                        if (m != null) {
                            fresh.add(m);
                        }
                    }
                    Thread.sleep(300);
                }
            } catch (InterruptedException e) {
                // the guest is done
            }
        }, "balloon-host");
        String out = boot(guest, balloon, sock, host,
                VM_COUNTER,
                // Every virtio interrupt line (INTx or per-queue vectors), summed.
                "irqs() { n=0; for c in $(grep virtio /proc/interrupts | awk '{print $2}'); do n=$((n+c)); done; echo $n; }",
                "echo loaded=$(grep -c '^virtio_balloon ' /proc/modules)",
                "i=0",
                "while [ \"$(vm balloon_inflate)\" -lt " + PAGES + " ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done",
                "echo inflated=$(vm balloon_inflate)",
                // After the pages are taken, the host hands the stats buffer back again and
                // again; three more interrupts include at least one hand-back that followed
                // a fresh buffer (one may still be the last inflate's completion).
                "n0=$(irqs)",
                "i=0",
                "while [ $(irqs) -lt $((n0 + 3)) ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done",
                "echo irqs=$n0-$(irqs)",
                "echo memtotal=$(grep '^MemTotal:' /proc/meminfo | awk '{print $2}')",
                "rmmod virtio_balloon",
                "echo rmmod=$?",
                "echo deflated=$(vm balloon_deflate)",
                "echo after=$(grep '^MemTotal:' /proc/meminfo | awk '{print $2}')");

        assertEquals("1", BlkGuestTest.value(out, "loaded"), "virtio_balloon is a module in the lab's kernel:\n" + out);
        assertEquals(String.valueOf(PAGES), BlkGuestTest.value(out, "inflated"), "the guest's count of pages it gave:\n"
                + out);
        Set<Long> pfns = inflated.get();
        assertNotNull(pfns, "the driver never wrote actual = " + PAGES + " (last " + balloon.actual() + "); guest:\n" + out);
        assertEquals(PAGES, pfns.size(), "distinct PFNs in the balloon when actual said full");
        for (long pfn : pfns) {
            assertTrue(pfn * 4096 < (long) RAM_MIB << 20, "PFN " + pfn + " lies inside the guest's RAM");
        }

        // Statistics: the buffer from probe (before inflating) and the fresh ones after.
        assertFalse(fresh.isEmpty(), "fresh statistics after the balloon filled; guest:\n" + out);
        long guestKiB = Long.parseLong(BlkGuestTest.value(out, "memtotal"));
        long memtot = fresh.get(fresh.size() - 1).get(MEMTOT);
        assertEquals(guestKiB * 1024, memtot, "MEMTOT (bytes) against the guest's MemTotal (KiB): " + fresh);
        assertNotNull(initial.get(MEMTOT), "the probe-time statistics carry MEMTOT: " + initial);
        assertEquals((long) PAGES * 4096, initial.get(MEMTOT) - memtot,
                "the guest's total memory shrank by the balloon (DEFLATE_ON_OOM is not offered)");
        assertTrue(fresh.get(fresh.size() - 1).containsKey("VIRTIO_BALLOON_S_MEMFREE"), fresh.toString());

        // What the run saw, for the log (CI keeps it; the README quotes a run).
        System.out.println("balloon: " + pfns.size() + " PFNs " + java.util.Collections.min(pfns) + ".."
                + java.util.Collections.max(pfns) + ", guest MemTotal " + guestKiB + " KiB, MEMTOT " + memtot
                + " after inflating (" + initial.get(MEMTOT) + " at probe), " + fresh.size() + " fresh statistics, guest "
                + BlkGuestTest.value(out, "irqs") + " interrupts while waiting");

        // Deflate on unload: the guest returned every page and says so.
        assertEquals("0", BlkGuestTest.value(out, "rmmod"), out);
        assertEquals(String.valueOf(PAGES), BlkGuestTest.value(out, "deflated"), out);
        assertEquals(guestKiB + PAGES * 4, Long.parseLong(BlkGuestTest.value(out, "after")),
                "the guest's MemTotal grew back by the balloon");
        assertEquals(0, balloon.pageCount(), "every page left the balloon: " + balloon.pages());
        assertEquals(0, balloon.actual(), "the driver wrote actual = 0 after deflating");
        assertEquals(0, balloon.refusals(), balloon.lastRefusal());
    }

    /**
     * A target changed while the guest runs reaches its driver only through the configuration change
     * notification (Linux's virtio_balloon reads num_pages at probe and on that interrupt), which our
     * transport raises with VHOST_USER_BACKEND_CONFIG_CHANGE_MSG: the balloon grows to twice the
     * target, then shrinks to half of it.
     */
    @Test
    void aTargetChangedWhileTheGuestRunsIsFollowedBothWays() throws Exception {
        Guest guest = Guest.lab();
        BalloonDevice balloon = new BalloonDevice(PAGES);
        Path sock = dir.resolve("balloon.sock");
        int grown = 2 * PAGES;
        int shrunk = PAGES / 2;
        List<String> steps = new CopyOnWriteArrayList<>();
        Thread host = new Thread(() -> {
            try {
                for (int target : new int[] {PAGES, grown, shrunk}) {
                    if (target != PAGES) {
                        balloon.target(target);
                    }
                    long until = System.nanoTime() + 300_000_000_000L;
                    while (balloon.actual() != target && System.nanoTime() < until) {
                        Thread.sleep(50);
                    }
                    steps.add(target + ":" + balloon.actual() + ":" + balloon.pageCount());
                }
            } catch (InterruptedException e) {
                // the guest is done
            }
        }, "balloon-host");
        String out = boot(guest, balloon, sock, host,
                VM_COUNTER,
                "i=0",
                "while [ \"$(vm balloon_inflate)\" -lt " + grown + " ] && [ $i -lt 2400 ]; do sleep 0.1; i=$((i+1)); done",
                "echo inflated=$(vm balloon_inflate)",
                "i=0",
                "while [ \"$(vm balloon_deflate)\" -lt " + (grown - shrunk) + " ] && [ $i -lt 2400 ]; do sleep 0.1; i=$((i+1)); done",
                "echo deflated=$(vm balloon_deflate)");
        assertEquals(String.valueOf(grown), BlkGuestTest.value(out, "inflated"),
                "the guest grew the balloon to the new target; host steps " + steps + "; guest:\n" + out);
        assertEquals(String.valueOf(grown - shrunk), BlkGuestTest.value(out, "deflated"),
                "the guest gave back what the lower target asked; guest:\n" + out);
        assertEquals(List.of(PAGES + ":" + PAGES + ":" + PAGES, grown + ":" + grown + ":" + grown,
                shrunk + ":" + shrunk + ":" + shrunk), steps, "target, actual and pages held at each step");
        assertEquals(0, balloon.refusals(), balloon.lastRefusal());
    }
}
