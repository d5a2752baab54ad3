package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest with 8 GiB of RAM against the blk backend. On q35 QEMU puts 2 GiB below the 32-bit PCI
 * hole and 6 GiB from 4 GiB up, one memfd (share=on) that vhost-user hands over as a region of
 * about 6 GiB: beyond what an int offset can address. The guest kernel is told to leave 4-8 GiB
 * alone ({@code memmap=4G$4G}), so the page cache and user buffers it fills come from 8-10 GiB,
 * more than 4 GiB into that region. TCG touches only the pages the guest uses; the memfd is sparse.
 */
class LargeGuestBlkTest {
    static final int MIB = 1 << 20;
    static final long GIB = 1L << 30;
    static final int DATA = 16 * MIB;
    static final String PATTERN = "AVPS-HIGH-MEMORY\n";

    @TempDir
    Path dir;

    @Test
    void guestWithEightGibWritesFromAboveEightGib() throws Exception {
        Guest guest = Guest.cloudKernel().module("virtio_pci").module("virtio_blk")
                .kernelArgs("memmap=4G$0x100000000");
        Path image = dir.resolve("disk.img");
        Files.write(image, new byte[32 * MIB]);
        Path sock = dir.resolve("blk.sock");
        String out;
        long highest;
        try (BlkDevice blk = new BlkDevice(image, false, "avps-8g");
                VhostUserServer server = VhostUserServer.start(sock, blk)) {
            out = guest.qemu("-chardev", "socket,id=blk0,path=" + sock,
                            "-device", "vhost-user-blk-pci,chardev=blk0,num-queues=1")
                    .script(String.join("\n",
                            "echo mem=$(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2)",
                            "yes AVPS-HIGH-MEMORY | head -c " + DATA + " | dd of=/dev/vda bs=1M conv=fsync 2>/dev/null",
                            "echo 3 > /proc/sys/vm/drop_caches",
                            "echo reread=$(dd if=/dev/vda bs=1M count=16 2>/dev/null | md5sum | head -c 32)",
                            "echo expected=$(yes AVPS-HIGH-MEMORY | head -c " + DATA + " | md5sum | head -c 32)"))
                    .boot(dir, 8192, 600);
            highest = blk.highestDataAddress();
        }
        long memKib = Long.parseLong(BlkGuestTest.value(out, "mem"));
        assertTrue(memKib > 3 * GIB / 1024 && memKib < 4 * GIB / 1024, "the guest has its 8 GiB less the 4 GiB it was told to skip: " + memKib + " KiB");
        assertTrue(Long.compareUnsigned(highest, 8 * GIB) > 0,
                "the driver's buffers reached past 8 GiB guest-physical, i.e. more than 4 GiB into the high region: 0x"
                        + Long.toHexString(highest));
        assertEquals(BlkGuestTest.value(out, "expected"), BlkGuestTest.value(out, "reread"),
                "the guest reads back what it wrote");
        byte[] onDisk = Files.readAllBytes(image);
        byte[] pattern = PATTERN.repeat(DATA / PATTERN.length() + 1).substring(0, DATA).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < DATA; i++) {
            if (onDisk[i] != pattern[i]) {
                throw new AssertionError("the backend's image differs from what the guest wrote at byte " + i);
            }
        }
        assertEquals(0, onDisk[DATA], "nothing written past the guest's 16 MiB");
    }
}
