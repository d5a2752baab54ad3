package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.net.EchoPort;
import dev.avps.devices.net.HostEnd;
import dev.avps.devices.net.NetDevice;
import dev.avps.devices.net.Switch;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks against our net backend served in-process on a switch, with each kind of peer behind
 * it (an echo port, a host end) and with none: every check passes or does not apply (our net
 * offers no GUEST_ANNOUNCE), with one queue pair and with two (MQ: the control queue then comes
 * after both pairs, index 4, which the generic checks read from max_virtqueue_pairs).
 */
class NetBackendTest {
    static final List<String> TRAFFIC = List.of("net_rx_header_fields", "net_rx_mrg_num_buffers", "net_rx_within_buffer",
            "net_tx_unknown_flags_ignored", "net_rx_filter_promisc");
    static final List<String> NO_PEER_NEEDED = List.of("net_config_stable", "net_status_defined", "net_tx_buffers_returned",
            "net_ctrl_unknown_err", "net_ctrl_rx_mode", "net_ctrl_mac_table", "net_ctrl_mac_addr_set", "net_ctrl_vlan");

    @TempDir
    Path dir;

    private DeviceReport run(NetDevice net, String peer, String name) throws Exception {
        return run(net, peer, name, null);
    }

    private DeviceReport run(NetDevice net, String peer, String name, List<String> only) throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(name + ".sock"), net)) {
            Target t = new Target(server.path(), Backends.catalog("net")).withTimeouts(2_000, 30_000).withNetPeer(peer);
            List<Check> checks = Registry.checksFor(t.catalog().device()).stream()
                    .filter(c -> only == null || only.contains(c.name())).toList();
            DeviceReport r = Runner.run(t, name, checks);
            Backends.keep(r, name);
            return r;
        } finally {
            net.detach();
        }
    }

    private static void assertAllPass(DeviceReport r, List<String> checks) {
        for (String c : checks) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
    }

    @Test
    void echoPortBehindIt() throws Exception {
        Switch sw = new Switch("t");
        NetDevice net = new NetDevice(sw, 0x02_a5_00_00_00_01L, 1);
        EchoPort echo = new EchoPort(sw);
        DeviceReport r = run(net, "echo", "avps-net-echo");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        assertAllPass(r, TRAFFIC);
        assertAllPass(r, NO_PEER_NEEDED);
        assertEquals(Verdict.SKIPPED, r.result("net_ctrl_announce_ack").verdict(), "our net offers no GUEST_ANNOUNCE");
        assertEquals(Verdict.SKIPPED, r.result("net_ctrl_mq_pairs").verdict(), "one pair: no MQ");
        assertTrue(echo.echoed() > 0, "the frames came back through the echo port");
    }

    @Test
    void hostEndBehindIt() throws Exception {
        Switch sw = new Switch("t");
        NetDevice net = new NetDevice(sw, 0x02_a5_00_00_00_01L, 1);
        HostEnd host = new HostEnd(sw, 0x02_a5_00_00_00_feL, HostEnd.parseIpv4("10.0.2.2"), 7);
        DeviceReport r = run(net, "10.0.2.2", "avps-net-host");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        assertAllPass(r, TRAFFIC);
        assertTrue(host.arpReplies() > 0 && host.echoReplies() > 0, "the host end answered ARP and ping");
    }

    /** With no peer named, the checks needing a frame back say so; the others still pass. */
    @Test
    void noPeerNamed() throws Exception {
        Switch sw = new Switch("t");
        DeviceReport r = run(new NetDevice(sw, 0x02_a5_00_00_00_01L, 1), null, "avps-net-no-peer");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : TRAFFIC) {
            assertEquals(Verdict.NOT_CHECKABLE, r.result(c).verdict(), c);
            assertTrue(r.result(c).reason().contains("--net-peer"), r.result(c).reason());
        }
        assertAllPass(r, NO_PEER_NEEDED);
    }

    /**
     * Two queue pairs (MQ offered): every pair count from 1 to 2 is taken, 0 and 3 refused, and the
     * whole set passes, the generic checks' control commands going to index 4.
     */
    @Test
    void twoQueuePairs() throws Exception {
        Switch sw = new Switch("t");
        new EchoPort(sw);
        DeviceReport r = run(new NetDevice(sw, 0x02_a5_00_00_00_01L, 2), "echo", "avps-net-mq");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        assertAllPass(r, List.of("net_ctrl_mq_pairs", "dev_queue_count", "dev_malformed_unknown_selector",
                "dev_request_within_writable"));
        assertAllPass(r, TRAFFIC);
        assertAllPass(r, NO_PEER_NEEDED);
    }
}
