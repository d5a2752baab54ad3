package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.net.HostEnd;
import dev.avps.devices.net.NetDevice;
import dev.avps.devices.net.Switch;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1: Linux guests on QEMU's virtio-net-pci with a vhost-user netdev, served by our net backend
 * on one in-process switch. One guest pings the switch's host end; then two guests ping each other.
 * QEMU 7.2 keeps the control queue and the config space of a vhost-user netdev to itself, so the
 * guests exercise the data path (transmit, receive, merged buffers, the switch and the host end).
 *
 * <p>The NIC runs without MSI-X ({@code vectors=0}): Debian's QEMU 7.2.22 segfaults in
 * {@code msix_set_vector_notifiers} under {@code vhost_net_start} when the guest's driver starts a
 * vhost-user netdev with MSI-X vectors (seen with one and two queue pairs, and with ctrl_vq=off; DPDK's
 * testpmd vhost PMD as the backend crashes it the same way).
 */
class NetGuestTest {

    static final String HOST_IP = "10.0.2.2";
    static final long HOST_MAC = 0x02_a5_00_00_00_feL;

    @TempDir
    Path dir;

    static Guest guest() throws Exception {
        return Guest.cloudKernel().module("virtio_pci").module("virtio_net");
    }

    static String[] nic(Path sock, String mac) {
        return new String[] {"-chardev", "socket,id=c0,path=" + sock, "-netdev", "vhost-user,chardev=c0,id=n0",
            "-device", "virtio-net-pci,netdev=n0,vectors=0,mac=" + mac};
    }

    static String up(String ip) {
        return "ip link set lo up; ip link set eth0 up; ip addr add " + ip + "/24 dev eth0\n";
    }

    @Test
    void aGuestPingsTheHostEnd() throws Exception {
        Guest g = guest();
        Switch sw = new Switch("e2e");
        NetDevice dev = new NetDevice(sw, 0x52_54_00_00_00_11L, 2);
        HostEnd host = new HostEnd(sw, HOST_MAC, HostEnd.parseIpv4(HOST_IP), 7);
        Path sock = dir.resolve("net.sock");
        try (VhostUserServer server = VhostUserServer.start(sock, dev)) {
            String out = g.qemu(nic(sock, "52:54:00:00:00:11"))
                    .script(up("10.0.2.15") + "ping -c 3 -W 5 " + HOST_IP + "; echo rc=$?")
                    .boot(dir, 256, 180);
            assertTrue(out.contains("3 packets transmitted, 3 packets received"), out);
            assertTrue(out.contains("rc=0"), out);
        }
        assertTrue(host.arpReplies() >= 1, "the guest asked for the host's MAC");
        assertEquals(3, host.echoReplies(), "three echo requests answered");
        assertEquals(0, dev.counters().txShort.sum() + dev.counters().txOversize.sum() + dev.counters().txMalformed.sum());
        assertTrue(dev.counters().txFrames.sum() >= 4, "an ARP request and three echo requests at least");
        assertTrue(dev.counters().rxFrames.sum() >= 4, "an ARP reply and three echo replies at least");
    }

    @Test
    void twoGuestsOnOneSwitchPingEachOther() throws Exception {
        Switch sw = new Switch("e2e");
        NetDevice a = new NetDevice(sw, 0x52_54_00_00_00_21L, 2);
        NetDevice b = new NetDevice(sw, 0x52_54_00_00_00_22L, 2);
        Path sa = dir.resolve("a.sock");
        Path sb = dir.resolve("b.sock");
        Path wa = Files.createDirectories(dir.resolve("a"));
        Path wb = Files.createDirectories(dir.resolve("b"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (VhostUserServer x = VhostUserServer.start(sa, a); VhostUserServer y = VhostUserServer.start(sb, b)) {
            // After the pings, b listens on TCP 5000 and a sends it 16 MiB: TSO super-frames through
            // the switch into merged receive buffers. b keeps the bytes to count them as well as hash them.
            CompletableFuture<String> ga = CompletableFuture.supplyAsync(() -> boot(wa, sa, "52:54:00:00:00:21",
                    "10.0.2.21", "10.0.2.22", SIXTEEN_MIB + " | sha256sum | sed 's/^/sent=/'\n"
                            + "for i in $(seq 1 30); do " + SIXTEEN_MIB + " | nc 10.0.2.22 5000 && break; sleep 1; done"),
                    pool);
            CompletableFuture<String> gb = CompletableFuture.supplyAsync(() -> boot(wb, sb, "52:54:00:00:00:22",
                    "10.0.2.22", "10.0.2.21", "nc -l -p 5000 > /tmp/got\necho bytes=$(wc -c < /tmp/got)\n"
                            + "sha256sum /tmp/got | sed 's/^/got=/; s/ .*//'"), pool);
            String outA = ga.get(400, TimeUnit.SECONDS);
            String outB = gb.get(400, TimeUnit.SECONDS);
            assertTrue(outA.contains("3 packets transmitted, 3 packets received"), "guest a: " + outA);
            assertTrue(outB.contains("3 packets transmitted, 3 packets received"), "guest b: " + outB);
            String sent = line(outA, "sent=");
            assertTrue(sent.length() > 64, "guest a: " + outA);
            assertEquals("16777216", line(outB, "bytes="), "guest b received 16 MiB: " + outB);
            assertEquals(sent.replaceAll("\\s.*", ""), line(outB, "got="), "guest b received what a sent: " + outB);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(a.counters().rxFrames.sum() >= 4 && b.counters().rxFrames.sum() >= 4);
        System.err.println("NetGuestTest: a sent " + a.counters().txFrames.sum() + " frames (" + a.counters().txGso.sum()
                + " TSO); b received " + b.counters().rxFrames.sum() + " (" + b.counters().rxMerged.sum()
                + " over several buffers), truncated " + b.counters().rxTruncated.sum() + ", no room "
                + b.counters().rxNoRoom.sum());
        assertTrue(a.counters().txGso.sum() > 0, "the guest's TCP used segmentation offload through the switch");
        assertTrue(b.counters().rxMerged.sum() > 0, "and its super-frames reached b in merged buffers");
    }

    /** 16 MiB of distinct lines (seq's counting, cut at the size), the same on every run. */
    private static final String SIXTEEN_MIB = "seq 1 3000000 | head -c 16777216";

    /**
     * Boots one guest that waits (up to 120 s) until its peer answers, pings it three times, and then
     * stays up long enough for the peer to do the same.
     */
    private static String line(String out, String prefix) {
        int at = out.indexOf(prefix);
        return at < 0 ? "" : out.substring(at + prefix.length(), out.indexOf('\n', at)).trim();
    }

    private static String boot(Path work, Path sock, String mac, String self, String peer, String then) {
        try {
            return guest().qemu(nic(sock, mac))
                    .script(up(self) + "for i in $(seq 1 120); do ping -c 1 -W 1 " + peer
                            + " >/dev/null 2>&1 && break; done\nping -c 3 -W 5 " + peer + "; echo rc=$?\n"
                            + then + "\n"
                            + "for i in $(seq 1 20); do ping -c 1 -W 1 " + peer + " >/dev/null 2>&1 || break; done")
                    .boot(work, 256, 300);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
