package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linux's virtio_blk driver reads and writes 64 MiB through QEMU's vhost-user-blk-pci front end
 * and our Java backend; checksums agree on both sides, in both directions. Twice: tier 1 (Debian
 * 12's QEMU 7.2 and cloud kernel) and the lab's QEMU 11 with Linux 7.3.
 */
class BlkGuestTest {

    static final int MIB = 1 << 20;
    static final int DATA = 64 * MIB;
    static final String PATTERN = "AVPS-FORGE\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qemu-7.2", "qemu-11"})
    void guestReadsAndWrites64MiBIntact(String frontEnd) throws Exception {
        Guest guest = (frontEnd.equals("qemu-11") ? Guest.lab() : Guest.cloudKernel()).module("virtio_pci")
                .module("virtio_blk");
        Path image = dir.resolve("disk.img");
        byte[] original = new byte[80 * MIB];
        new Random(7).nextBytes(original);
        Files.write(image, original);
        String hostReadSum = sha256(original, DATA);

        Path sock = dir.resolve("blk.sock");
        String out;
        long writeThroughWrites;
        try (BlkDevice blk = new BlkDevice(image, false, "avps-e2e");
                VhostUserServer server = VhostUserServer.start(sock, blk)) {
            out = guest.qemu("-chardev", "socket,id=blk0,path=" + sock,
                            "-device", "vhost-user-blk-pci,chardev=blk0,num-queues=1")
                    .script(String.join("\n",
                            "echo size=$(cat /sys/block/vda/size)",
                            "echo serial=$(cat /sys/block/vda/serial)",
                            "echo read=$(dd if=/dev/vda bs=1M count=64 2>/dev/null | sha256sum | head -c 64)",
                            "yes AVPS-FORGE | head -c " + DATA + " | dd of=/dev/vda bs=1M conv=fsync 2>/dev/null",
                            "echo 3 > /proc/sys/vm/drop_caches",
                            "echo reread=$(dd if=/dev/vda bs=1M count=64 2>/dev/null | sha256sum | head -c 64)",
                            // virtio_blk's cache_type writes the config's writeback byte through QEMU to us.
                            "echo cache=$(cat /sys/block/vda/queue/write_cache | tr ' ' -)",
                            "echo 'write through' > /sys/block/vda/cache_type",
                            "echo cache2=$(cat /sys/block/vda/queue/write_cache | tr ' ' -)",
                            "dd if=/dev/zero of=/dev/vda bs=1M count=1 seek=70 conv=fsync 2>/dev/null"))
                    .boot(dir, 256, 300);
            writeThroughWrites = blk.writeThroughWrites();
        }
        assertEquals("write-back", value(out, "cache"), "the guest sees our write-back cache");
        assertEquals("write-through", value(out, "cache2"), "the guest switched it off through CONFIG_WCE");
        assertTrue(writeThroughWrites > 0, "the backend heard the switch and synced the last write itself");
        assertEquals("163840", value(out, "size"), "80 MiB in 512-byte sectors, from our config space");
        assertEquals("avps-e2e", value(out, "serial"), "GET_ID answered by our backend");
        assertEquals(hostReadSum, value(out, "read"), "the guest read the bytes the host put in the image");
        byte[] pattern = PATTERN.repeat(DATA / PATTERN.length() + 1).substring(0, DATA)
                .getBytes(StandardCharsets.US_ASCII);
        String expected = sha256(pattern, DATA);
        assertEquals(expected, fileSha256(image, DATA), "the host finds the bytes the guest wrote");
        assertEquals(expected, value(out, "reread"), "the guest reads back what it wrote");
    }

    static String value(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + key + "= line in guest output:\n" + out);
    }

    static String sha256(byte[] data, int len) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(data, 0, len);
        return HexFormat.of().formatHex(md.digest());
    }

    static String fileSha256(Path file, int len) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            md.update(in.readNBytes(len));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
