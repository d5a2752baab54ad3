package dev.avps.e2e;

import dev.avps.model.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.platform.HostPlatformCheck;
import dev.avps.conform.platform.PlatformSource;
import dev.avps.conform.platform.Verdicts;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's automotive platform judged from both sides of one configuration: a Linux 7.3
 * guest on QEMU 11 runs the generated probe against our blk, rng and console backends (and QEMU's
 * own virtio-net), then {@code avps conform platform} checks the same backends through their
 * sockets, and {@code avps platform-report} merges the two into one HTML page and JUnit XML
 * ({@code target/platform-reports/ours.*}). The platform holds; where both sides can read a fact
 * (blk's seg_max) they read the same value.
 *
 * <p>It lives in package {@code dev.avps.e2e} to reach the guest helpers of generated-devices'
 * test jar; the host checks are this module's.
 */
class PlatformGuestAndHostTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void ourBackendsHoldThePlatformInTheGuestAndAtTheHost() throws Exception {
        HostPlatformCheck.Result[] host = new HostPlatformCheck.Result[1];
        String out = PlatformGuests.ours(dir, true, sockets -> host[0] = HostPlatformCheck.run(
                PlatformSource.load("automotive", null), sockets, Set.of("net"), 5_000));
        Map<String, String> guest = PlatformGuests.verdicts(out, "ours-guest");
        assertTrue(out.contains("probe-exit=0"), out);
        assertEquals("pass", guest.get("summary"), guest.toString());
        for (String id : new String[] {"blk.present", "net.present", "console.present", "rng.present",
                "automotive.transport", "guest_finds_entropy", "guest_reads_block", "guest_has_console_port",
                "no_legacy_only_devices", "blk.queues", "blk.queue_size"}) {
            assertTrue(guest.get(id).startsWith("pass"), id + ": " + guest.get(id));
        }
        assertTrue(guest.get("blk.offer.FLUSH").matches("pass\tvirtio\\d+ offers bit 9: yes"), guest.get("blk.offer.FLUSH"));

        Files.writeString(PlatformGuests.REPORTS.resolve("ours-host.txt"),
                Verdicts.render(host[0].lines(), host[0].summary()));
        assertTrue(host[0].summary().pass(), host[0].lines().toString());
        Map<String, Verdict> h = new java.util.HashMap<>();
        host[0].lines().forEach(l -> h.put(l.id(), l));
        for (String id : new String[] {"blk.present", "blk.offer.FLUSH", "blk.config.seg_max", "rng.present",
                "console.present", "console.offer.VERSION_1"}) {
            assertEquals(Verdict.Outcome.PASS, h.get(id).outcome(), id + ": " + h.get(id));
        }
        assertEquals(Verdict.Outcome.SKIP, h.get("net.present").outcome(), "QEMU's own net is the guest's to see");

        // The same config field read from both sides: the guest through the PCI window, the host over vhost-user.
        String guestSegMax = guest.get("blk.config.seg_max").replaceAll("^pass\tvirtio\\d+: (\\d+) >= 1$", "$1");
        assertTrue(h.get("blk.config.seg_max").detail().startsWith("seg_max = " + guestSegMax + " "),
                "guest read " + guest.get("blk.config.seg_max") + ", host read " + h.get("blk.config.seg_max").detail());

        assertEquals(0, PlatformGuests.report("ours", "ours-guest", "ours-host"), "the merged report holds");
        String html = Files.readString(PlatformGuests.REPORTS.resolve("ours.html"));
        assertTrue(html.contains("The platform holds: no MUST statement failed."), html);
        assertTrue(html.contains("ours-guest.txt: pass") && html.contains("ours-host.txt: pass"), html);
    }
}
