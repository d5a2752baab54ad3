package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        return run(device, backend, null, "avps-" + device);
    }

    private DeviceReport run(String device, VirtioDevice backend, Path vsockUds, String name) throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(device + ".sock"), backend)) {
            Target t = new Target(server.path(), Backends.catalog(device)).withTimeouts(2_000, 30_000)
                    .withVsockUds(vsockUds);
            DeviceReport r = Runner.run(t, name);
            Backends.keep(r, name);
            return r;
        }
    }

    /** Our vsock with its host socket path given, so the front end can be the host peer too. */
    @Test
    void vsock() throws Exception {
        Path uds = dir.resolve("uds");
        DeviceReport r = run("vsock", new VsockDevice(3, uds.toString()), uds, "avps-vsock");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : List.of("vsock_config_cid_valid", "vsock_features_offer_no_implied",
                "vsock_stream_without_features", "vsock_unknown_type_rst", "vsock_tx_progress_rx_full",
                "vsock_credit_respected", "vsock_credit_fields_track")) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
        assertEquals(Verdict.SKIPPED, r.result("vsock_seqpacket_stream_answer").verdict(),
                "our vsock offers no SEQPACKET");
    }

    /** Without the host socket path, the checks needing a host peer say so instead of guessing. */
    @Test
    void vsockWithoutItsHostSocketPath() throws Exception {
        DeviceReport r = run("vsock", new VsockDevice(3, dir.resolve("uds").toString()), null, "avps-vsock-no-uds");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : List.of("vsock_stream_without_features", "vsock_credit_respected", "vsock_credit_fields_track")) {
            assertEquals(Verdict.NOT_CHECKABLE, r.result(c).verdict(), c);
            assertTrue(r.result(c).reason().contains("--vsock-uds"), r.result(c).reason());
        }
        for (String c : List.of("vsock_unknown_type_rst", "vsock_tx_progress_rx_full")) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
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
