package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.console.ConsoleDevice;
import dev.avps.devices.gpio.GpioDevice;
import dev.avps.devices.i2c.I2cDevice;
import dev.avps.devices.input.EvdevCodes;
import dev.avps.devices.input.InputDevice;
import dev.avps.devices.sound.SoundDevice;
import dev.avps.devices.vsock.VsockDevice;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic checks, and each device's own, against the rest of the backends bin/avps-serve
 * serves (blk and rng have their own tests): every check that applies must pass.
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
        for (String c : List.of("vsock_cid_not_reserved_expect", "vsock_features_offer_no_implied",
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

    /**
     * Four lines with interrupts, and the pins' outside world: every input level flips every
     * 20 ms, so an interrupt the checks arm does come (the front end cannot move a pin itself).
     */
    @Test
    void gpio() throws Exception {
        GpioDevice gpio = new GpioDevice(true, "a", "b", "c", "d");
        ScheduledExecutorService pins = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger level = new AtomicInteger();
        pins.scheduleAtFixedRate(() -> {
            int v = level.getAndIncrement() % 2;
            for (int line = 0; line < 4; line++) {
                gpio.setInputLevel(line, v);
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
        try {
            DeviceReport r = run("gpio", gpio);
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            for (String c : List.of("gpio_get_names", "gpio_value_round_trip", "gpio_bad_line_err", "gpio_names_terminated_unique",
                    "gpio_names_size_matches", "gpio_config_fields_set", "gpio_response_fields_set", "gpio_same_line_in_order",
                    "gpio_different_lines_any_order", "gpio_direction_none_resets", "gpio_irq_silent_until_armed",
                    "gpio_irq_none_returns_buffer")) {
                assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
            }
        } finally {
            pins.shutdownNow();
        }
    }

    /** One EEPROM at 0x50: the probes find it present and 0x08 absent. */
    @Test
    void i2c() throws Exception {
        DeviceReport r = run("i2c", new I2cDevice(0x50));
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : List.of("i2c_features_offer_zero_length", "i2c_features_ok_needs_zero_length", "i2c_header_untouched",
                "i2c_write_buffer_untouched", "i2c_read_fills_buffer", "i2c_requests_in_order", "i2c_group_first_failure_err",
                "dev_features_ok_accepted")) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
    }

    /**
     * A keyboard with room for 16 waiting events and its typist pressing and releasing a key every
     * 2 ms: the starvation check leaves it without buffers long enough to drop updates, and what
     * comes afterwards must be whole ones.
     */
    @Test
    void input() throws Exception {
        InputDevice kbd = InputDevice.builder("avps keyboard").key(EvdevCodes.KEY_A).led(EvdevCodes.LED_CAPSL)
                .maxPending(16).build();
        ScheduledExecutorService typist = InputSide.typist(kbd::key);
        try {
            DeviceReport r = run("input", kbd);
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            for (String c : List.of("input_config_unknown_select_zero", "input_starved_eventq_drops_whole")) {
                assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
            }
            assertTrue(kbd.dropped() > 0, "the device dropped updates while starved, so the pass judged a dropping device");
        } finally {
            typist.shutdownNow();
        }
    }

    /**
     * Our sound as avps-serve runs it, paced in real time. It has one output stream and nothing
     * else: no jacks, channel maps, capture stream or control elements, so those checks are skipped.
     */
    @Test
    void sound() throws Exception {
        SoundDevice snd = new SoundDevice(dir.resolve("out.wav"), true);
        try {
            DeviceReport r = run("sound", snd);
            assertEquals(List.of(), r.failed(), () -> r.results().toString());
            for (String c : List.of("snd_pcm_info_defined", "snd_release_returns_io", "snd_output_paced")) {
                assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
            }
            for (String c : List.of("snd_jack_info_defined", "snd_chmap_info_defined", "snd_input_full_buffers",
                    "snd_ctl_info_defined", "snd_ctl_tlv_short_buffer")) {
                assertEquals(Verdict.SKIPPED, r.result(c).verdict(), c + ": " + r.result(c).reason());
            }
        } finally {
            snd.close();
        }
    }

    private static final List<String> CONSOLE_CHECKS = List.of("console_port_add_valid", "console_port_remove_added",
            "console_emerg_write_accepted");

    /** Our console as avps-serve runs it with two named ports: MULTIPORT, control queues, SIZE and emergency write. */
    @Test
    void console() throws Exception {
        ConsoleDevice con = new ConsoleDevice(List.of("org.avps.one", "org.avps.two"));
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        con.onOutput((port, data) -> {
            synchronized (console) {
                if (port == 0) {
                    console.writeBytes(data);
                }
            }
        });
        DeviceReport r = run("console", con);
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : CONSOLE_CHECKS) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
        assertTrue(r.result("console_port_add_valid").reason().contains("3 port(s) added [0, 1, 2] with max_nr_ports 3"),
                r.result("console_port_add_valid").reason());
        assertTrue(con.emergencyWrites() >= 2, "the check's emergency writes reached our console: " + con.emergencyWrites());
        synchronized (console) {
            // The check writes 'E', sends a line on port 0's transmitq, then writes '\n'. (The generic
            // checks' writes of driver-writable config bytes come out too, as the NULs before them.)
            assertTrue(console.toString(java.nio.charset.StandardCharsets.US_ASCII)
                    .contains("Eavps conform: port 0 after emerg_wr\n\n"), "and came out on port 0, in order: " + console);
        }
    }

    /** Port 0 alone: no MULTIPORT, so no port messages to judge; the emergency write still is. */
    @Test
    void consoleWithPortZeroOnly() throws Exception {
        DeviceReport r = run("console", new ConsoleDevice(), null, "avps-console-port0");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : List.of("console_port_add_valid", "console_port_remove_added")) {
            assertEquals(Verdict.SKIPPED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
        assertEquals(Verdict.PASSED, r.result("console_emerg_write_accepted").verdict(),
                r.result("console_emerg_write_accepted").reason());
    }

    /** With the test's own emergency write register in front of ours (the variant the broken one builds on): both writes arrive. */
    @Test
    void consoleWithEmergencyWrite() throws Exception {
        ConsoleVariants.EmergWrite con = new ConsoleVariants.EmergWrite(new ConsoleDevice(List.of("org.avps.one")));
        DeviceReport r = run("console", con, null, "avps-console-emerg");
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : CONSOLE_CHECKS) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
        assertTrue(con.written.toString(java.nio.charset.StandardCharsets.US_ASCII).contains("E\n"),
                "the check's two bytes reached the register: " + con.written);
    }
}
