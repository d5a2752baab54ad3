package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avps.devices.gpio.GpioDevice;
import dev.avps.devices.i2c.I2cDevice;
import dev.avps.devices.input.InputDevice;
import dev.avps.devices.sound.SoundDevice;
import dev.avps.devices.vsock.VsockDevice;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic checks against the rest of the backends bin/avps-serve serves (blk and rng have
 * their own tests): every check that applies must pass.
 */
class ServedBackendsTest {
    @TempDir
    Path dir;

    private DeviceReport run(String device, VirtioDevice backend) throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(device + ".sock"), backend)) {
            DeviceReport r = Runner.run(new Target(server.path(), Backends.catalog(device)).withTimeouts(2_000, 30_000),
                    "avps-" + device);
            Backends.keep(r, "avps-" + device);
            return r;
        }
    }

    @Test
    void vsock() throws Exception {
        DeviceReport r = run("vsock", new VsockDevice(3, dir.resolve("uds").toString()));
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
    }

    @Test
    void gpio() throws Exception {
        DeviceReport r = run("gpio", new GpioDevice("a", "b", "c", "d"));
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : List.of("gpio_get_names", "gpio_value_round_trip", "gpio_bad_line_err")) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
    }

    @Test
    void i2c() throws Exception {
        DeviceReport r = run("i2c", new I2cDevice(0x50));
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
    }

    @Test
    void input() throws Exception {
        DeviceReport r = run("input", InputDevice.keyboard("avps keyboard"));
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
    }

    @Test
    void sound() throws Exception {
        SoundDevice snd = new SoundDevice(dir.resolve("out.wav"), false);
        try {
            DeviceReport r = run("sound", snd);
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
        } finally {
            snd.close();
        }
    }
}
