package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.spi.SpiDevice;
import dev.avps.devices.spi.SpiNorFlash;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 4: Linux 7.3's spi-virtio controller through QEMU 11's vhost-user-spi-pci (arguments from
 * {@code avps qemu-args}) and our backend with its simulated flash behind chip select 0.
 *
 * <p>Linux's driver registers only the controller: with no device tree or ACPI entry naming a
 * chip, no SPI device and so no spidev appears by itself. The guest makes one through the
 * controller's {@code new_device} file (Linux 7.3, with SPI_DYNAMIC, which ACPI brings), which
 * also binds spidev to it; a chip select beyond the controller's {@code cs_max_number} is
 * refused there. A small static tool then reads the JEDEC ID and 64 bytes of the flash through
 * SPI_IOC_MESSAGE, once as one full-duplex transfer and once as a message of two half-duplex
 * transfers, and asks for a clock above the configuration's limit, which the backend refuses.
 */
class SpiGuestTest {

    static final int ADDRESS = 0x1234;
    static final int LENGTH = 64;

    @TempDir
    Path dir;

    @Test
    void theGuestReadsTheFlashThroughSpidev() throws Exception {
        Guest guest = Guest.labBuiltIn(TierFourKernel.get());
        SpiNorFlash flash = SpiNorFlash.madeUp(SpiNorFlash.pattern(64 << 10));
        SpiDevice spi = new SpiDevice(flash);
        Path sock = dir.resolve("spi.sock");
        List<String> args = ModelQemuArgs.of("--device", "spi", "--socket", sock.toString(), "--id", "spi0");
        assertTrue(args.contains("vhost-user-spi-pci,chardev=spi0"), args.toString());
        byte[] tool = GuestTools.compile(dir, "spiflash");
        String m = "/sys/class/spi_master/$c";
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, spi)) {
            out = guest.executable("bin/spiflash", tool).qemu(args.toArray(String[]::new)).script(String.join("\n",
                    // The refused transfer makes the kernel log errors; keep them off the console we parse.
                    "dmesg -n 1",
                    "c=$(ls /sys/class/spi_master | head -1)",
                    "echo master=$c",
                    "echo spidev 2 > " + m + "/new_device 2>/dev/null; echo cs2=$?",
                    "echo spidev 0 > " + m + "/new_device; echo cs0=$?",
                    "d=$(ls /dev | grep '^spidev' | head -1)",
                    "echo dev=$d",
                    "echo driver=$(busybox basename $(busybox readlink /sys/bus/spi/devices/${c}.0/driver))",
                    "spiflash /dev/$d " + ADDRESS + " " + LENGTH,
                    "echo guest_transfers=$(cat " + m + "/statistics/transfers)",
                    "echo guest_errors=$(cat " + m + "/statistics/errors)"))
                    .boot(dir, 256, 300);
        }
        System.out.println("spi: guest said:\n" + out + "backend: " + spi.transfers() + " transfers, " + spi.bytes()
                + " bytes, " + spi.paramErrors() + " parameter errors (" + spi.lastError() + ")");

        assertTrue(BlkGuestTest.value(out, "master").startsWith("spi"), "the controller registered:\n" + out);
        assertNotEquals("0", BlkGuestTest.value(out, "cs2"), "chip select 2 is beyond cs_max_number = 2");
        assertEquals("0", BlkGuestTest.value(out, "cs0"), out);
        assertTrue(BlkGuestTest.value(out, "dev").matches("spidev\\d+\\.0"), out);
        assertEquals("spidev", BlkGuestTest.value(out, "driver"), out);

        byte[] id = flash.jedecId();
        assertEquals("ff" + HexFormat.of().formatHex(id), BlkGuestTest.value(out, "jedec"), "0xFF while the opcode goes out");
        String expected = HexFormat.of().formatHex(Arrays.copyOfRange(flash.contents(), ADDRESS, ADDRESS + LENGTH));
        assertEquals(expected, BlkGuestTest.value(out, "read"), "one full-duplex transfer");
        assertEquals(expected, BlkGuestTest.value(out, "split"), "command and data in two half-duplex transfers");
        assertEquals("22", BlkGuestTest.value(out, "toofast_errno"), "PARAM_ERR reaches the caller as EINVAL");

        // jedec, read, and the two halves of split; the clock the configuration does not allow is refused.
        assertEquals(4, spi.transfers());
        assertEquals(4 + (4 + LENGTH) + (4 + LENGTH), spi.bytes());
        assertEquals(1, spi.paramErrors(), spi.lastError());
        assertTrue(spi.lastError().contains("60000000 Hz"), spi.lastError());
        List<String> counts = new ArrayList<>(List.of(BlkGuestTest.value(out, "guest_transfers"),
                BlkGuestTest.value(out, "guest_errors")));
        assertEquals(List.of("5", "1"), counts, "the guest's own statistics: five transfers tried, one failed");
    }
}
