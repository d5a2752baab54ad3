package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.can.CanDevice;
import dev.avps.devices.can.CanFrame;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 4: Linux 7.3's virtio_can through QEMU 11's generic vhost-user-test-device-pci (arguments
 * from {@code avps qemu-args}: CAN_CLASSIC, CAN_FD, RTR_FRAMES; three queues, a 2-byte config)
 * and our backend with its answering peer. A static tool brings can0 up (SIOCSIFFLAGS on its CAN
 * socket: busybox {@code ip} needs an AF_INET socket for that, and this kernel has no IPv4), which
 * makes the driver START the controller; it sends a classic, an extended, a CAN FD and an RTR
 * frame through a raw CAN socket, receives the peer's four answers (identifier + 1) and one frame
 * the host injects once it has all four, and takes can0 down again, which STOPs the controller.
 */
class CanGuestTest {

    static final CanFrame INJECTED = new CanFrame(0x555, 0, new byte[] {0x55, (byte) 0xaa});

    @TempDir
    Path dir;

    @Test
    void framesGoBothWaysOverTheVirtualBus() throws Exception {
        Guest guest = Guest.labBuiltIn(TierFourKernel.get());
        CanDevice can = new CanDevice(true);
        Path sock = dir.resolve("can.sock");
        List<String> args = ModelQemuArgs.of("--device", "can", "--socket", sock.toString(), "--id", "can0",
                "--features", "CAN_CLASSIC,CAN_FD,RTR_FRAMES");
        assertTrue(args.stream().anyMatch(a -> a.startsWith("vhost-user-test-device-pci,") && a.contains("virtio-id=36")
                && a.contains("num_vqs=3") && a.contains("config_size=2")), args.toString());
        byte[] tool = GuestTools.compile(dir, "canping");

        AtomicReference<List<CanFrame>> seen = new AtomicReference<>();
        Thread host = new Thread(() -> {
            try {
                List<CanFrame> sent = can.awaitSent(4, 300_000);
                if (sent != null) {
                    seen.set(sent);
                    can.inject(INJECTED);
                }
            } catch (InterruptedException e) {
                // the guest is done
            }
        }, "can-host");
        host.setDaemon(true);
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, can)) {
            host.start();
            out = guest.executable("bin/canping", tool).qemu(args.toArray(String[]::new)).script(String.join("\n",
                    "dmesg -n 1",
                    "canping can0 5",
                    "echo tx_packets=$(cat /sys/class/net/can0/statistics/tx_packets)",
                    "echo rx_packets=$(cat /sys/class/net/can0/statistics/rx_packets)"))
                    .boot(dir, 256, 300);
        } finally {
            host.interrupt();
            host.join(5_000);
        }
        System.out.println("can: guest said:\n" + out + "backend: sent " + can.sent() + ", delivered " + can.delivered()
                + ", dropped " + can.dropped() + ", refused " + can.refused() + " (" + can.lastRefusal() + ")");

        assertEquals("0", BlkGuestTest.value(out, "ifup"), "can0 came up (the driver's START succeeded):\n" + out);
        byte[] eight = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] twelve = new byte[12];
        for (int i = 0; i < 12; i++) {
            twelve[i] = (byte) (0xa0 + i);
        }
        List<CanFrame> expected = List.of(
                new CanFrame(0x123, 0, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}),
                new CanFrame(0x1abcdef0, CanFrame.EXTENDED, eight),
                new CanFrame(0x321, CanFrame.FD, twelve),
                new CanFrame(0x456, CanFrame.RTR, new byte[2]));
        assertNotNull(seen.get(), "the backend never got four frames:\n" + out);
        assertEquals(expected, seen.get(), "the frames the guest sent, as the bus took them");
        assertEquals(expected, can.sent());

        List<String> rx = out.lines().filter(l -> l.startsWith("rx=")).sorted().toList();
        assertEquals(List.of("rx=124##4#deadbeef", "rx=1abcdef1#E#8#0102030405060708",
                "rx=322#F#12#a0a1a2a3a4a5a6a7a8a9aaab", "rx=457#R#2#", "rx=555##2#55aa"), rx,
                "the peer's answers and the host's frame, as the guest's socket got them:\n" + out);
        assertEquals("4", BlkGuestTest.value(out, "tx_packets"), "every frame was acknowledged OK");
        assertEquals("5", BlkGuestTest.value(out, "rx_packets"));
        assertEquals(5, can.delivered());
        assertEquals(0, can.refused(), can.lastRefusal());
        assertEquals("0", BlkGuestTest.value(out, "ifdown"));
        assertFalse(can.started(), "taking can0 down sent STOP");
    }
}
