package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libblkio's virtio-blk-vhost-user driver, the guest-free front end behind qemu-img, QEMU's
 * virtio-blk-vhost-user block driver and fio's libblkio engine, against our blk backend (QEMU 11's
 * qemu-img from the lab). It needs protocol features QEMU's own front end does without: REPLY_ACK
 * on every message, CONFIG, and CONFIGURE_MEM_SLOTS (its rings and buffers arrive one region at a
 * time with ADD_MEM_REG, in its own address space).
 */
class LibblkioTest {

    static final int SIZE = 32 << 20;

    @TempDir
    Path dir;

    static String opts(Path sock) {
        return "driver=virtio-blk-vhost-user,path=" + sock + ",cache.direct=on";
    }

    @Test
    void qemuImgWritesAndReadsBackA32MiBImage() throws Exception {
        Lab.root();
        byte[] data = new byte[SIZE];
        new Random(42).nextBytes(data);
        Path source = Files.write(dir.resolve("source.raw"), data);
        Path image = dir.resolve("disk.img");
        Files.write(image, new byte[SIZE]);
        Path back = dir.resolve("back.raw");
        Path sock = dir.resolve("blk.sock");
        try (BlkDevice blk = new BlkDevice(image, false, "libblkio");
                VhostUserServer server = VhostUserServer.start(sock, blk)) {
            String info = Lab.run(List.of(dir), 60, "qemu-img", "info", "--image-opts", opts(sock));
            assertTrue(info.contains("virtual size: 32 MiB (33554432 bytes)"), info);
            Lab.run(List.of(dir), 300, "qemu-img", "convert", "-n", "-f", "raw", source.toString(),
                    "--target-image-opts", opts(sock));
            assertArrayEquals(data, Files.readAllBytes(image), "the backend's file holds what qemu-img wrote");
            Lab.run(List.of(dir), 300, "qemu-img", "convert", "--image-opts", opts(sock), "-O", "raw",
                    back.toString());
            assertEquals(BlkGuestTest.sha256(data, SIZE), BlkGuestTest.fileSha256(back, SIZE),
                    "qemu-img read back what it wrote");
        }
        // The same bytes through a guest's virtio_blk driver (QEMU 7.2, tier 1).
        Path guestSock = dir.resolve("guest.sock");
        String out;
        try (BlkDevice blk = new BlkDevice(image, true, "libblkio");
                VhostUserServer server = VhostUserServer.start(guestSock, blk)) {
            out = Guest.cloudKernel().module("virtio_pci").module("virtio_blk")
                    .qemu("-chardev", "socket,id=blk0,path=" + guestSock,
                            "-device", "vhost-user-blk-pci,chardev=blk0,num-queues=1")
                    .script("echo sum=$(dd if=/dev/vda bs=1M count=32 2>/dev/null | sha256sum | head -c 64)")
                    .boot(dir, 256, 180);
        }
        assertEquals(BlkGuestTest.sha256(data, SIZE), BlkGuestTest.value(out, "sum"), "the guest reads the same");
    }

    @Test
    void aReadOnlyBackendRefusesLibblkioWrites() throws Exception {
        Lab.root();
        byte[] original = new byte[SIZE];
        new Random(5).nextBytes(original);
        Path image = Files.write(dir.resolve("disk.img"), original);
        byte[] other = new byte[SIZE];
        new Random(6).nextBytes(other);
        Path source = Files.write(dir.resolve("source.raw"), other);
        Path sock = dir.resolve("ro.sock");
        Lab.Result write;
        String info;
        try (BlkDevice blk = new BlkDevice(image, true, "libblkio-ro");
                VhostUserServer server = VhostUserServer.start(sock, blk)) {
            info = Lab.run(List.of(dir), 60, "qemu-img", "info", "--image-opts", opts(sock));
            write = Lab.exec(List.of(dir), 300, "qemu-img", "convert", "-n", "-f", "raw", source.toString(),
                    "--target-image-opts", opts(sock));
        }
        assertTrue(info.contains("virtual size: 32 MiB"), info);
        assertNotEquals(0, write.exit(), "qemu-img must fail to write: " + write.output());
        assertTrue(write.output().toLowerCase().contains("read-only") || write.output().contains("Permission"),
                write.output());
        assertArrayEquals(original, Files.readAllBytes(image), "the image is unchanged");
    }
}
