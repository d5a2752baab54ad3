package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.i2c.I2cDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 2: Linux 7.3's i2c-virtio adapter (the tier-4 kernel, on QEMU 7.2) talks to a simulated
 * EEPROM at 0x50 behind our backend: the guest reads what the host stored, writes a byte the host
 * then finds, and gets an error for an address nobody answers.
 */
class I2cGuestTest {

    @TempDir
    Path dir;

    @Test
    void eepromReadWriteAndAbsentAddress() throws Exception {
        Guest guest = Guest.builtIn(TierFourKernel.get());
        I2cDevice i2c = new I2cDevice(0x50);
        i2c.load(0x10, new byte[] {0x5a, 0x3c});
        Path sock = dir.resolve("i2c.sock");
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, i2c)) {
            out = guest.qemu("-chardev", "socket,id=i2c0,path=" + sock, "-device", "vhost-user-i2c-pci,chardev=i2c0")
                    .script(String.join("\n",
                            "echo read=$(i2cget -y 0 0x50 0x11)",
                            "i2cset -y 0 0x50 0x20 0xab; echo set=$?",
                            "echo back=$(i2cget -y 0 0x50 0x20)",
                            "i2cget -y 0 0x51 0x00 >/dev/null 2>&1; echo absent=$?"))
                    .boot(dir, 256, 120);
        }
        assertEquals("0x3c", BlkGuestTest.value(out, "read"), "the guest read what the host stored: " + out);
        assertEquals("0", BlkGuestTest.value(out, "set"));
        assertEquals("0xab", BlkGuestTest.value(out, "back"));
        assertEquals((byte) 0xab, i2c.eeprom()[0x20], "the host finds the byte the guest wrote");
        assertTrue(!BlkGuestTest.value(out, "absent").equals("0"), "an absent address fails in the guest");
    }
}
