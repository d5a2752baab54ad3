package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.net.HostEnd;
import dev.avps.devices.net.NetDevice;
import dev.avps.devices.net.NetTap;
import dev.avps.devices.net.Switch;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: MQ with a real driver. Linux 7.3's virtio_net on two virtual CPUs, through QEMU 11's
 * generic vhost-user-test-device-pci (so the driver's control queue reaches our backend), with two
 * queue pairs offered. The driver enables one pair per CPU with VQ_PAIRS_SET and maps each CPU to
 * its own transmit queue. The guest pings the switch's host end from each CPU in turn (busybox
 * taskset), so each pair's transmit queue carries the pings sent from its CPU, and the backend
 * steers each reply back to the pair its flow was last sent from.
 */
class NetMultiqueueGuestTest {

    static final long GUEST = 0x52_54_00_00_00_41L;

    @TempDir
    Path dir;

    @Test
    void twoQueuePairsCarryTrafficFromTwoCpus() throws Exception {
        Guest guest = Guest.lab();
        Switch sw = new Switch("mq");
        NetDevice dev = new NetDevice(sw, GUEST, 2);
        HostEnd host = new HostEnd(sw, NetGuestTest.HOST_MAC, HostEnd.parseIpv4(NetGuestTest.HOST_IP), 7);
        Path sock = dir.resolve("net.sock");
        List<String> args = NetControlGuestTest.qemuArgs(dev, sock);
        // Two receive and two transmit queues and the control queue; max_virtqueue_pairs in the config.
        assertTrue(args.stream().anyMatch(a -> a.startsWith("vhost-user-test-device-pci,") && a.contains("virtio-id=1")
                && a.contains("num_vqs=5") && a.contains("config_size=10")), args.toString());
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, dev)) {
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return guest.cpus(2).module("virtio_net").qemu(args.toArray(String[]::new)).script(String.join("\n",
                            NetGuestTest.up("10.0.2.15").strip(),
                            "echo cpus=$(nproc)",
                            "echo queues=$(ls /sys/class/net/eth0/queues | tr '\\n' ' ')",
                            // The first ping waits out the link and ARP; then three from each CPU.
                            "for i in $(seq 1 30); do ping -c 1 -W 1 " + NetGuestTest.HOST_IP + " >/dev/null 2>&1 && break; done",
                            "taskset 1 ping -c 3 -W 5 " + NetGuestTest.HOST_IP + " | grep transmitted | sed 's/^/cpu0: /'",
                            "taskset 2 ping -c 3 -W 5 " + NetGuestTest.HOST_IP + " | grep transmitted | sed 's/^/cpu1: /'"))
                            .boot(dir, 256, 300);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Watched while the guest runs: its power-off resets the device back to one pair.
            NetControlGuestTest.await(run, dev, () -> NetTap.activePairs(dev) == 2, "VQ_PAIRS_SET 2 from the driver");
            out = run.get(330, TimeUnit.SECONDS);
        }
        assertEquals("2", BlkGuestTest.value(out, "cpus").trim(), out);
        assertEquals("rx-0 rx-1 tx-0 tx-1", BlkGuestTest.value(out, "queues").trim(), "two pairs in the guest:\n" + out);
        assertTrue(out.contains("cpu0: 3 packets transmitted, 3 packets received"), out);
        assertTrue(out.contains("cpu1: 3 packets transmitted, 3 packets received"), out);
        String perPair = "tx " + dev.txFrames(0) + "/" + dev.txFrames(1) + ", rx buffers " + dev.rxBuffers(0) + "/"
                + dev.rxBuffers(1);
        System.err.println("NetMultiqueueGuestTest: pair 0/pair 1: " + perPair + "; " + dev.counters());
        assertTrue(dev.txFrames(0) >= 3 && dev.txFrames(1) >= 3, "each CPU's pings left on its own pair: " + perPair
                + "\n" + out);
        assertTrue(dev.rxBuffers(0) >= 3 && dev.rxBuffers(1) >= 3, "and their replies came back on it: " + perPair);
        assertTrue(host.echoReplies() >= 6, "the host end answered every ping");
    }
}
