package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each third-party peer of {@link Peers} starts, serves a real front end a little, and stops
 * without leaving its process or socket behind.
 */
class PeersTest {

    @TempDir
    Path dir;

    @Test
    void qemuStorageDaemon11AnswersQemuImgThroughLibblkio() throws Exception {
        assertQemuImgSeesTheExport(Peers.Qsd.V11);
    }

    @Test
    void qemuStorageDaemon72AnswersTheLabsLibblkio() throws Exception {
        // The socket crosses the chroot: a host daemon, a front end inside the lab.
        assertQemuImgSeesTheExport(Peers.Qsd.V7_2);
    }

    private void assertQemuImgSeesTheExport(Peers.Qsd version) throws Exception {
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(32L << 20);
        }
        Peer qsd = Peers.qemuStorageDaemon(version, dir, image, false, "qsd");
        try (qsd) {
            String info = Lab.run(List.of(dir), 60, "qemu-img", "info", "--image-opts",
                    "driver=virtio-blk-vhost-user,path=" + qsd.socket() + ",cache.direct=on");
            assertTrue(info.contains("virtual size: 32 MiB (33554432 bytes)"), info);
            assertTrue(qsd.alive(), "the daemon serves on after the front end left");
        }
        assertFalse(qsd.alive());
        assertFalse(Files.exists(qsd.socket()));
    }

    @Test
    void testpmdIsAVhostUserNetBackend() throws Exception {
        Peer pmd = Peers.testpmd(dir, "pmd");
        try (pmd; VhostUserProbe probe = new VhostUserProbe(pmd.socket())) {
            long features = probe.getU64(VhostUserProbe.GET_FEATURES);
            assertTrue((features & (1L << 32)) != 0, "VIRTIO_F_VERSION_1 offered: " + Long.toHexString(features));
            assertTrue((features & (1L << 30)) != 0, "vhost-user protocol features offered");
            assertTrue((features & (1L << 15)) != 0, "VIRTIO_NET_F_MRG_RXBUF offered: a net device");
            long protocol = probe.getU64(VhostUserProbe.GET_PROTOCOL_FEATURES);
            assertTrue((protocol & 1) != 0, "MQ offered: " + Long.toHexString(protocol));
            probe.setU64(VhostUserProbe.SET_PROTOCOL_FEATURES, 1);
            long queues = probe.getU64(VhostUserProbe.GET_QUEUE_NUM);
            assertTrue(queues >= 2 && queues <= 1024, "room for at least one rx/tx pair: " + queues);
        }
        assertFalse(pmd.alive());
        assertTrue(pmd.log().contains("vhost"), pmd.log());
    }

    @Test
    void virtiofsdServesALabGuest() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.writeString(shared.resolve("hello.txt"), "from the host\n");
        Guest guest = Guest.lab().module("virtio_pci").module("virtiofs");
        Peer fsd = Peers.virtiofsd(dir, shared, "fs");
        String out;
        try (fsd) {
            out = guest.qemu("-chardev", "socket,id=fs0,path=" + fsd.socket(),
                            "-device", "vhost-user-fs-pci,chardev=fs0,tag=avps")
                    .script(String.join("\n",
                            "mkdir /mnt",
                            "mount -t virtiofs avps /mnt",
                            "echo read=$(cat /mnt/hello.txt)",
                            "echo from the guest > /mnt/written.txt",
                            "sync"))
                    .boot(dir, 256, 180);
        }
        assertEquals("from the host", BlkGuestTest.value(out, "read"), out);
        assertEquals("from the guest\n", Files.readString(shared.resolve("written.txt")));
        assertFalse(fsd.alive());
    }
}
