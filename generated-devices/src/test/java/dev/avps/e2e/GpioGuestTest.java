package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.gpio.GpioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 2: Linux 7.3's gpio-virtio driver (the tier-4 kernel, built with it) through QEMU 7.2's
 * vhost-user-gpio-pci and our backend: line names reach the guest, the guest drives an output
 * the host sees, and reads the input levels the host set.
 */
class GpioGuestTest {

    @TempDir
    Path dir;

    @Test
    void linesRoundTripBetweenGuestAndHost() throws Exception {
        Guest guest = Guest.builtIn(TierFourKernel.get());
        byte[] names = GuestTools.compile(dir, "gpionames");
        GpioDevice gpio = new GpioDevice("avps-line0", "avps-line1", "avps-line2", "avps-line3", "avps-line4",
                "avps-line5", "avps-line6", "avps-line7");
        gpio.setInputLevel(5, 1);
        gpio.setInputLevel(6, 0);
        Path sock = dir.resolve("gpio.sock");
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, gpio)) {
            out = guest.executable("bin/gpionames", names)
                    .qemu("-chardev", "socket,id=gpio0,path=" + sock, "-device", "vhost-user-gpio-pci,chardev=gpio0")
                    .script(String.join("\n",
                            "chip=$(ls -d /sys/class/gpio/gpiochip* | head -n 1)",
                            "base=$(cat $chip/base)",
                            "echo ngpio=$(cat $chip/ngpio)",
                            "/bin/gpionames /dev/gpiochip0",
                            // Linux 7.3 names an exported line gpioN (N = base + offset), not by its line name.
                            "g() { echo /sys/class/gpio/gpio$((base+$1)); }",
                            "for l in 2 5 6; do echo $((base+l)) > /sys/class/gpio/export; done",
                            "echo out > $(g 2)/direction",
                            "echo 1 > $(g 2)/value",
                            "echo in > $(g 5)/direction",
                            "echo in > $(g 6)/direction",
                            "echo in5=$(cat $(g 5)/value)",
                            "echo in6=$(cat $(g 6)/value)",
                            "echo out2=$(cat $(g 2)/value)"))
                    .boot(dir, 256, 120);
        }
        assertEquals("8", BlkGuestTest.value(out, "ngpio"), out);
        for (int line = 0; line < 8; line++) {
            assertTrue(out.contains("line " + line + " avps-line" + line + "\n"), "line " + line
                    + "'s name reached the guest:\n" + out);
        }
        assertEquals("1", BlkGuestTest.value(out, "in5"), "the guest reads the level the host set: " + out);
        assertEquals("0", BlkGuestTest.value(out, "in6"));
        assertEquals("1", BlkGuestTest.value(out, "out2"));
        assertEquals(GpioDevice.DIRECTION_OUT, gpio.direction(2), "the host sees the guest's direction");
        assertEquals(1, gpio.outputValue(2), "and the value it drove");
        assertTrue(out.contains("in5=1"));
    }
}
