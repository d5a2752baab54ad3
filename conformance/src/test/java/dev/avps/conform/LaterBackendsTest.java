package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.balloon.BalloonDevice;
import dev.avps.devices.can.CanDevice;
import dev.avps.devices.rtc.RtcDevice;
import dev.avps.devices.spi.SpiDevice;
import dev.avps.devices.spi.SpiNorFlash;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backends served after the check families were written (balloon, rtc, spi, can): no family
 * of their own yet, so the checks derived from the model run on each (features, config, queue
 * count, every request format, malformed chains, reset). Each must pass or not apply, as every
 * backend we serve must; their chapters' own requirements show as "not yet implemented".
 */
class LaterBackendsTest {
    /** Generic checks every one of these backends reaches a verdict on (each has a request format). */
    static final List<String> REACHED = List.of("dev_offers_version_1", "dev_features_ok_accepted",
            "dev_reset_initial_state");

    @TempDir
    Path dir;

    private void passes(String device, VirtioDevice backend) throws Exception {
        DeviceReport r;
        try (VhostUserServer server = VhostUserServer.start(dir.resolve(device + ".sock"), backend)) {
            Target t = new Target(server.path(), Backends.catalog(device)).withTimeouts(2_000, 30_000);
            r = Runner.run(t, "avps-" + device);
            Backends.keep(r, "avps-" + device);
        }
        assertEquals(List.of(), r.failed(), () -> r.results().toString());
        for (String c : REACHED) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), device + " " + c + ": " + r.result(c).reason());
        }
        if (r.catalog().device().config() != null) { // rtc has no config space
            for (String c : List.of("dev_config_size", "dev_config_read_only", "dev_queue_count")) {
                assertEquals(Verdict.PASSED, r.result(c).verdict(), device + " " + c + ": " + r.result(c).reason());
            }
        }
        long requests = r.results().stream().filter(c -> c.check().startsWith("dev_request_")
                && c.verdict() == Verdict.PASSED).count();
        assertTrue(requests > 0, device + ": some request format was sent and judged: " + r.results());
    }

    @Test
    void balloon() throws Exception {
        passes("balloon", new BalloonDevice(256));
    }

    @Test
    void rtc() throws Exception {
        passes("rtc", new RtcDevice());
    }

    @Test
    void spi() throws Exception {
        passes("spi", new SpiDevice(SpiNorFlash.madeUp(SpiNorFlash.pattern(64 << 10))));
    }

    @Test
    void can() throws Exception {
        passes("can", new CanDevice(true));
    }
}
