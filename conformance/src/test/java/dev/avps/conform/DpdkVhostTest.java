package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.e2e.Peer;
import dev.avps.e2e.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * avps conform against DPDK's vhost PMD (Debian 12's dpdk-testpmd, package dpdk-dev) forwarding in
 * macswap mode, so every frame the front end sends comes back with its addresses swapped: the
 * peer the net checks need. A missing dpdk-testpmd skips (fails under CI=true). A third-party
 * failure is a finding: the test pins the exact sets of failed and not checkable checks, each
 * described in conformance/README.md ("Findings: DPDK vhost PMD"). Report:
 * target/conformance-reports/dpdk-vhost-net/ (with testpmd's log).
 */
class DpdkVhostTest {
    @TempDir
    Path dir;

    @Test
    void vhostPmdInMacswapMode() throws Exception {
        DeviceReport r;
        try (Peer pmd = Peers.testpmd(dir, "vhost", "macswap")) {
            Target t = new Target(pmd.socket(), Backends.catalog("net")).withTimeouts(2_000, 30_000).withNetPeer("echo");
            r = Runner.run(t, "net: DPDK vhost PMD (testpmd macswap) on " + pmd.socket());
            Backends.keep(r, "dpdk-vhost-net");
            Files.copy(dir.resolve("vhost.log"), Backends.REPORTS.resolve("dpdk-vhost-net/testpmd.log"),
                    StandardCopyOption.REPLACE_EXISTING);
            assertTrue(pmd.alive(), "testpmd is still running; its log:\n" + pmd.log());
        }
        System.out.println(r.results());
        assertEquals(new TreeSet<>(List.of()), new TreeSet<>(r.failed()), () -> r.results().toString());
        List<String> notCheckable = r.results().stream().filter(c -> c.verdict() == Verdict.NOT_CHECKABLE)
                .map(CheckResult::check).sorted().toList();
        assertEquals(List.of(), notCheckable, () -> r.results().toString());
    }
}
