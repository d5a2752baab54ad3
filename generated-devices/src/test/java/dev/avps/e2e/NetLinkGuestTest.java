package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Tier 3: link down and up from the backend, seen by Linux 7.3's virtio_net behind QEMU 11's
 * generic vhost-user-test-device (which takes the config space from the backend; QEMU's own
 * virtio-net keeps its own). {@link NetDevice#linkUp} clears or sets VIRTIO_NET_S_LINK_UP and the
 * transport announces the change on the backend channel; the driver re-reads the status on the
 * config interrupt and turns the carrier off and on again. The guest says it saw each carrier state
 * by switching promiscuous mode, a control-queue command that needs no link.
 */
class NetLinkGuestTest {

    static final long GUEST = 0x52_54_00_00_00_41L;

    @TempDir
    Path dir;

    @Test
    void theGuestSeesTheLinkGoDownAndComeBack() throws Exception {
        Guest guest = Guest.lab();
        NetDevice dev = new NetDevice(new Switch("link"), GUEST, 1);
        Path sock = dir.resolve("net.sock");
        List<String> args = NetControlGuestTest.qemuArgs(dev, sock);
        String carrier = "/sys/class/net/eth0/carrier";
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, dev)) {
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return guest.module("virtio_net").qemu(args.toArray(String[]::new)).script(String.join("\n",
                            // Waits until the carrier reads $1 (it cannot be read while eth0 is down).
                            "w() { for i in $(seq 1 1200); do [ \"$(cat " + carrier + " 2>/dev/null)\" = \"$1\" ]"
                                    + " && break; sleep 0.1; done; cat " + carrier + " 2>/dev/null || echo none; }",
                            "ip link set eth0 up",
                            "echo first=$(w 1)",
                            "echo changes-before=$(cat /sys/class/net/eth0/carrier_changes)",
                            "ip link set eth0 promisc on",
                            "echo down=$(w 0)",
                            "ip link set eth0 promisc off",
                            "echo again=$(w 1)",
                            "echo changes=$(cat /sys/class/net/eth0/carrier_changes)"))
                            .boot(dir, 256, 360);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The driver opens eth0 and turns the reset state's promiscuous mode off; then each
            // promiscuous switch is the guest's word that it saw the carrier it waited for.
            await(run, () -> !NetTap.promiscuous(dev), "the driver's receive mode");
            await(run, () -> NetTap.promiscuous(dev), "promiscuous on: the guest saw the carrier up");
            dev.linkUp(false);
            await(run, () -> !NetTap.promiscuous(dev), "promiscuous off: the guest saw the carrier go");
            dev.linkUp(true);
            out = run.get(400, TimeUnit.SECONDS);
        }
        assertEquals("1", BlkGuestTest.value(out, "first"), "carrier up at start:\n" + out);
        assertEquals("0", BlkGuestTest.value(out, "down"), "carrier off after the link went down:\n" + out);
        assertEquals("1", BlkGuestTest.value(out, "again"), "carrier back after the link came up:\n" + out);
        // Linux counts each carrier transition: between the first read and the last, down and up.
        assertEquals(Long.parseLong(BlkGuestTest.value(out, "changes-before").trim()) + 2,
                Long.parseLong(BlkGuestTest.value(out, "changes").trim()), "carrier transitions:\n" + out);
    }

    private static void await(CompletableFuture<String> guest, BooleanSupplier state, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!state.getAsBoolean()) {
            if (guest.isDone()) {
                fail("the guest ended before " + what + ": " + guest.handle((o, e) -> e == null ? o : e.toString()).get());
            }
            if (System.nanoTime() > end) {
                fail("no " + what + " within 300 s");
            }
            Thread.sleep(50);
        }
    }
}
