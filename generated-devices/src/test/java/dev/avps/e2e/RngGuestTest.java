package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.rng.RngDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1: Linux's own virtio-rng driver, in a QEMU guest, reads entropy through QEMU's
 * vhost-user-rng-pci front end from our Java backend; the bytes the guest prints are bytes the
 * backend handed out.
 */
class RngGuestTest {

    @TempDir
    Path dir;

    @Test
    void guestReadsEntropyFromTheJavaBackend() throws Exception {
        Guest guest = Guest.cloudKernel().module("virtio_pci").module("virtio_rng");
        ByteArrayOutputStream served = new ByteArrayOutputStream();
        RngDevice rng = new RngDevice(new Random(42), b -> {
            synchronized (served) {
                served.writeBytes(b);
            }
        });
        Path sock = dir.resolve("rng.sock");
        try (VhostUserServer server = VhostUserServer.start(sock, rng)) {
            String out = guest.qemu("-chardev", "socket,id=rng0,path=" + sock,
                            "-device", "vhost-user-rng-pci,chardev=rng0")
                    .script("cat /sys/class/misc/hw_random/rng_current\n"
                            + "head -c 64 /dev/hwrng | hexdump -v -e '1/1 \"%02x\"'\necho")
                    .boot(dir, 256, 120);
            String[] lines = out.trim().split("\n");
            assertTrue(lines[0].startsWith("virtio_rng"), "the guest's current hwrng: " + lines[0]);
            String guestHex = lines[lines.length - 1].trim();
            assertEquals(128, guestHex.length(), "64 bytes read by the guest: " + out);
            String servedHex;
            synchronized (served) {
                servedHex = HexFormat.of().formatHex(served.toByteArray());
            }
            assertTrue(servedHex.contains(guestHex), "the guest's bytes came from our backend");
            assertTrue(server.accepted() >= 1);
        }
    }
}
