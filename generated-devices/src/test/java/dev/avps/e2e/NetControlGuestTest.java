package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.avps.devices.net.NetDevice;
import dev.avps.devices.net.NetTap;
import dev.avps.devices.net.Switch;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: Linux 7.3's virtio_net driver on QEMU 11's generic vhost-user-test-device-pci, which,
 * unlike QEMU's own virtio-net, hands the control queue to our backend. QEMU's arguments come from
 * {@code avps qemu-args --generic} for exactly the features the device offers.
 *
 * <p>One guest and a test port (a {@link NetTap}) on one switch. The guest changes its receive
 * filter in three steps; after each, the test waits until the backend's filter shows the change,
 * then sends five frames to a foreign unicast address and five to a multicast group, and one
 * broadcast marker. The guest counts what arrives in rx_dropped (no protocol in it takes EtherType
 * 0x88b5, so its stack drops each such frame and counts it there), the backend counts what its
 * filter turned away:
 * <ol>
 * <li>link up (the driver turns promiscuous mode off): only the marker arrives, ten filtered;
 * <li>an IPv6 address whose solicited-node group is that multicast group (busybox has no
 *     {@code ip maddr}; the address makes the kernel join the group, and the driver sends a new
 *     MAC table): the five multicast frames and the marker arrive, five filtered;
 * <li>a VLAN device for VLAN 5 (the driver sends VLAN_ADD 5); this step sends five frames tagged
 *     5 and five tagged 6 to the guest's own address, and the marker: the VLAN 5 frames reach
 *     eth0.5, the VLAN 6 ones are filtered;
 * <li>{@code ip link set eth0 promisc on}: all eleven arrive, none filtered;
 * <li>promiscuous off and all-multicast on (a small static tool: busybox's ip cannot): the backend's
 * filter follows both;
 * <li>{@code ip link set eth0 address ...} while up: MAC_ADDR_SET reaches the backend, whose filter
 * then takes the new address and drops the old one.
 * </ol>
 */
class NetControlGuestTest {

    static final long GUEST = 0x52_54_00_00_00_31L;
    static final long TAP = 0x02_a5_00_00_00_fdL;
    static final long FOREIGN = 0x52_54_00_00_00_99L;
    /** The address the guest gives eth0 at the end (MAC_ADDR_SET). */
    static final long NEW_MAC = 0x52_54_00_00_00_32L;
    /** The solicited-node group of fd00::1:203 (ff02::1:ff01:203) as a MAC address. */
    static final long GROUP = 0x33_33_ff_01_02_03L;
    static final long BROADCAST = 0xff_ff_ff_ff_ff_ffL;
    static final int EACH = 5;

    @TempDir
    Path dir;

    static List<String> qemuArgs(NetDevice d, Path socket) {
        return ModelQemuArgs.of("--device", "net", "--generic", "--socket", socket.toString(), "--id", "net0",
                "--features", String.join(",", NetTap.offeredFeatureNames(d)),
                "--config", "max_virtqueue_pairs=" + NetTap.maxPairs(d));
    }

    @Test
    void theGuestsReceiveModeAndMacTableReachTheBackend() throws Exception {
        Guest guest = Guest.lab();
        Switch sw = new Switch("ctrl");
        NetDevice dev = new NetDevice(sw, GUEST, 1);
        NetTap tap = new NetTap(sw, TAP);
        Path sock = dir.resolve("net.sock");
        List<String> args = qemuArgs(dev, sock);
        // Receive, transmit and control queue; MAC and status in the config (max_virtqueue_pairs
        // exists only with MQ or RSS, and one pair offers neither).
        assertTrue(args.stream().anyMatch(a -> a.startsWith("vhost-user-test-device-pci,") && a.contains("virtio-id=1")
                && a.contains("num_vqs=3") && a.contains("config_size=8")), args.toString());
        assertFalse(args.contains("-netdev"), args.toString());
        String n = "/sys/class/net/eth0/statistics/rx_dropped";
        long[] filtered = new long[4];
        String out;
        byte[] ifflags = GuestTools.compile(dir, "ifflags"); // busybox's ip cannot set all-multicast
        try (VhostUserServer server = VhostUserServer.start(sock, dev)) {
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return guest.module("virtio_net").module("8021q").executable("bin/ifflags", ifflags)
                            .qemu(args.toArray(String[]::new)).script(String.join("\n",
                            // Waits for the marker (the count passes $1), then a moment for nothing else to come.
                            "seen() { for i in $(seq 1 300); do [ $(cat " + n + ") -gt $1 ] && break; sleep 0.2; done;"
                                    + " sleep 1; cat " + n + "; }",
                            "ip link set eth0 up",
                            "a=$(seen 0); echo phase-a=$a",
                            "ip -6 addr add fd00::1:203/64 dev eth0",
                            "b=$(seen $a); echo phase-b=$b",
                            "ip link add link eth0 name eth0.5 type vlan id 5 && ip link set eth0.5 up",
                            // Tells the host eth0.5 is up: its ARP request comes to the tap tagged VLAN 5.
                            "ip addr add 10.5.0.1/24 dev eth0.5 && ping -c 1 -W 1 10.5.0.2 >/dev/null 2>&1",
                            "v=$(seen $b); echo phase-v=$v",
                            "echo vlan5=$(cat /sys/class/net/eth0.5/statistics/rx_dropped)",
                            "ip link set eth0 promisc on",
                            "c=$(seen $v); echo phase-c=$c",
                            "echo flags=$(cat /sys/class/net/eth0/flags)",
                            "echo received=$(cat /sys/class/net/eth0/statistics/rx_packets)",
                            "echo groups=$(grep eth0 /proc/net/dev_mcast | tr -s ' ' | cut -d' ' -f5 | tr '\\n' ' ')",
                            // 5 and 6: all-multicast instead of promiscuous, then a new address; the host
                            // watches both reach the backend while the guest waits.
                            "/bin/ifflags eth0 -promisc +allmulti",
                            "ip link set eth0 address 52:54:00:00:00:32; echo mac-rc=$?",
                            "echo mac=$(cat /sys/class/net/eth0/address) flags2=$(cat /sys/class/net/eth0/flags)",
                            "sleep 10"))
                            .boot(dir, 256, 360);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // 1: the driver has turned promiscuous mode off (the reset state is promiscuous).
            await(run, dev, () -> !NetTap.promiscuous(dev), "PROMISC off from the driver");
            Thread.sleep(500); // let the MAC table that follows it land too
            filtered[0] = phase(dev, tap);
            // 2: the new group is in the MAC table the driver sent.
            await(run, dev, () -> NetTap.accepts(dev, GROUP), "the solicited-node group in the MAC table");
            assertFalse(NetTap.promiscuous(dev) || NetTap.allMulticast(dev), "neither promiscuous nor all-multicast");
            assertFalse(NetTap.accepts(dev, FOREIGN), "a foreign unicast address still filtered");
            filtered[1] = phase(dev, tap);
            // 3: VLAN 5 in the VLAN table (promiscuous mode would bypass it, so this comes first).
            await(run, dev, () -> NetTap.acceptsTagged(dev, GUEST, 5), "VLAN_ADD 5 from the driver");
            // VLAN_ADD comes when eth0.5 is created; frames sent before it is up would be lost.
            await(run, dev, () -> tap.sawTagged(5), "a frame from the guest's eth0.5 (the interface is up)");
            assertFalse(NetTap.acceptsTagged(dev, GUEST, 6), "VLAN 6 still filtered");
            long before = dev.counters().rxFiltered.sum();
            tap.sendTagged(GUEST, 5, EACH);
            tap.sendTagged(GUEST, 6, EACH);
            tap.send(BROADCAST, 1);
            filtered[3] = dev.counters().rxFiltered.sum() - before;
            // 4: promiscuous mode on.
            await(run, dev, () -> NetTap.promiscuous(dev), "PROMISC on from the driver");
            filtered[2] = phase(dev, tap);
            // 5: all-multicast on, promiscuous off (VIRTIO_NET_CTRL_RX_ALLMULTI and _PROMISC).
            await(run, dev, () -> NetTap.allMulticast(dev) && !NetTap.promiscuous(dev), "ALLMULTI on, PROMISC off");
            // 6: the new address (VIRTIO_NET_CTRL_MAC_ADDR_SET): accepted now, the old one no more.
            await(run, dev, () -> NetTap.accepts(dev, NEW_MAC), "MAC_ADDR_SET 52:54:00:00:00:32 from the driver");
            assertFalse(NetTap.accepts(dev, GUEST), "the old address is filtered after MAC_ADDR_SET");
            out = run.get(300, TimeUnit.SECONDS);
        }
        System.err.println("NetControlGuestTest: guest " + out.replace('\n', ' ') + "; backend filtered " + filtered[0]
                + "/" + filtered[1] + "/" + filtered[3] + "/" + filtered[2] + "; " + counters(dev));
        long a = number(out, "phase-a");
        long b = number(out, "phase-b");
        long v = number(out, "phase-v");
        long c = number(out, "phase-c");
        assertEquals(1, a, "not promiscuous, no group: only the broadcast marker reached the guest\n" + out);
        assertEquals(EACH + 1, b - a, "the group's frames and the marker, not the foreign unicast ones\n" + out);
        assertEquals(1, v - b, "on eth0 only the marker is dropped (VLAN 5 frames go to eth0.5)\n" + out);
        assertEquals(EACH, number(out, "vlan5"), "the VLAN 5 frames reached eth0.5\n" + out);
        assertEquals(2 * EACH + 1, c - v, "promiscuous: everything\n" + out);
        assertEquals(2 * EACH, filtered[0], "the backend filtered both kinds first");
        assertEquals(EACH, filtered[1], "then only the foreign unicast frames");
        assertEquals(EACH, filtered[3], "the frames of VLAN 6, which the guest did not add");
        assertEquals(0, filtered[2], "and nothing when promiscuous");
        assertTrue((Long.decode(BlkGuestTest.value(out, "flags").trim()) & 0x100) != 0, "IFF_PROMISC in the guest\n" + out);
        assertTrue(BlkGuestTest.value(out, "groups").contains("3333ff010203"), "the guest joined the group\n" + out);
        assertEquals("0", BlkGuestTest.value(out, "mac-rc").trim(), "the guest changed its address while up\n" + out);
        assertTrue(out.contains("mac=52:54:00:00:00:32 flags2="), out);
        long flags2 = Long.decode(out.substring(out.indexOf("flags2=") + 7).lines().findFirst().orElseThrow().trim());
        assertTrue((flags2 & 0x200) != 0 && (flags2 & 0x100) == 0, "IFF_ALLMULTI without IFF_PROMISC in the guest\n" + out);
        assertEquals(dev.counters().rxFrames.sum(), number(out, "received"),
                "the guest's driver received exactly what the backend wrote into its receive queue\n" + out);
        assertEquals(0, dev.counters().ctrlErrors.sum() + dev.counters().ctrlUnanswerable.sum(),
                "every control command Linux sent was understood");
    }

    /** Sends one phase's frames and returns how many of them the backend's filter turned away. */
    private static long phase(NetDevice dev, NetTap tap) {
        long before = dev.counters().rxFiltered.sum();
        tap.send(FOREIGN, EACH);
        tap.send(GROUP, EACH);
        tap.send(BROADCAST, 1);
        return dev.counters().rxFiltered.sum() - before;
    }

    private static String counters(NetDevice d) {
        return "rx " + d.counters().rxFrames.sum() + ", filtered " + d.counters().rxFiltered.sum() + ", no room "
                + d.counters().rxNoRoom.sum() + ", offload refused " + d.counters().rxOffloadRefused.sum() + ", tx "
                + d.counters().txFrames.sum() + ", control errors " + d.counters().ctrlErrors.sum();
    }

    static void await(CompletableFuture<String> guest, NetDevice dev, BooleanSupplier state, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!state.getAsBoolean()) {
            if (guest.isDone()) {
                fail("the guest ended before " + what + " (backend: " + counters(dev) + "): " + guest.handle((o, e) -> e == null ? o : e.toString()).get());
            }
            if (System.nanoTime() > end) {
                fail("no " + what + " within 300 s (backend: " + counters(dev) + ")");
            }
            Thread.sleep(50);
        }
    }

    private static long number(String out, String key) {
        return Long.parseLong(BlkGuestTest.value(out, key).trim());
    }
}
