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
        // The findings, each described in conformance/README.md ("Findings: DPDK vhost PMD").
        assertEquals(new TreeSet<>(List.of("dev_features_requires", "dev_request_within_writable", "dev_request_used_len",
                "dev_request_status_written", "dev_malformed_short_readable", "dev_malformed_no_writable",
                "dev_malformed_readable_after_writable", "dev_malformed_unknown_selector", "dev_reset_initial_state",
                "net_rx_header_fields", "net_ctrl_unknown_err", "net_ctrl_rx_mode", "net_ctrl_mac_table",
                "net_ctrl_announce_ack", "net_rx_filter_promisc")), new TreeSet<>(r.failed()), () -> r.results().toString());
        assertTrue(r.result("dev_features_requires").reason().contains("HOST_ECN"), r.result("dev_features_requires").reason());
        assertTrue(r.result("net_rx_header_fields").reason().contains("num_buffers 61166 without MRG_RXBUF"),
                r.result("net_rx_header_fields").reason());
        for (String c : List.of("net_ctrl_unknown_err", "net_ctrl_rx_mode", "net_ctrl_mac_table", "net_ctrl_announce_ack",
                "net_rx_filter_promisc")) {
            assertTrue(r.result(c).reason().contains("NO_COMPLETION: queue 2"), c + ": " + r.result(c).reason());
        }
        // No CONFIG protocol feature: nothing in the config space can be read.
        List<String> notCheckable = r.results().stream().filter(c -> c.verdict() == Verdict.NOT_CHECKABLE)
                .map(CheckResult::check).sorted().toList();
        assertEquals(List.of("dev_config_read_only", "dev_config_size", "dev_queue_count", "dev_reserved_config_zero",
                "net_config_stable", "net_ctrl_mq_pairs", "net_mq_pairs_range_expect", "net_mtu_ipv6_expect",
                "net_mtu_range_expect", "net_rss_key_size_expect", "net_rss_table_length_expect"), notCheckable,
                () -> r.results().toString());
        // The data path with a peer behind it: these it passes.
        for (String c : List.of("net_rx_mrg_num_buffers", "net_rx_within_buffer", "net_tx_unknown_flags_ignored",
                "net_tx_buffers_returned")) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
    }
}
