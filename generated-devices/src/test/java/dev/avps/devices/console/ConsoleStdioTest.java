package dev.avps.devices.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** avps-serve's console streams: stdin reaches port 0 without loss, every port's output reaches stdout. */
class ConsoleStdioTest {

    @Test
    void hostInputReachesPortZeroAndGuestOutputReachesTheHost() throws Exception {
        ConsoleDevice d = new ConsoleDevice();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread feeder = ConsoleStdio.bridge(d, new ByteArrayInputStream("typed on the host\n".getBytes(
                StandardCharsets.US_ASCII)), out);
        feeder.join(10_000);
        assertFalse(feeder.isAlive(), "the feeder ends with its input");
        assertEquals(18, d.pendingBytes(0));

        LoopbackDriver loop = new LoopbackDriver();
        long buf = loop.data();
        loop.driver().addIn(buf, 64).submit(1);
        assertEquals(18, loop.serve(d, ConsoleDevice.Q_RECEIVEQ));
        byte[] got = new byte[18];
        loop.memory().read(buf, got, 0, 18);
        assertEquals("typed on the host\n", new String(got, StandardCharsets.US_ASCII));

        loop.memory().write(buf, "from the guest".getBytes(StandardCharsets.US_ASCII), 0, 14);
        loop.driver().addOut(buf, 14).submit(1);
        loop.serve(d, ConsoleDevice.Q_TRANSMITQ);
        assertEquals("from the guest", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aFullPortMakesTheFeederWaitInsteadOfDropping() throws Exception {
        ConsoleDevice d = new ConsoleDevice();
        byte[] input = new byte[ConsoleDevice.MAX_PENDING_BYTES + 10_000];
        Arrays.fill(input, (byte) 'x');
        Thread feeder = ConsoleStdio.bridge(d, new ByteArrayInputStream(input), new ByteArrayOutputStream());
        for (int i = 0; i < 200 && d.pendingBytes(0) < ConsoleDevice.MAX_PENDING_BYTES - 4096; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertTrue(feeder.isAlive(), "the feeder waits for the guest");
        assertTrue(d.pendingBytes(0) <= ConsoleDevice.MAX_PENDING_BYTES);

        LoopbackDriver loop = new LoopbackDriver();
        long total = 0;
        while (total < input.length) {
            if (!loop.holding()) {
                loop.driver().addIn(loop.data(), 65536).submit(1);
            }
            int n = loop.offer(d, ConsoleDevice.Q_RECEIVEQ);
            if (n == dev.avps.runtime.device.VirtioDevice.DEFER) {
                Thread.sleep(20); // the feeder is catching up; the parked buffer is offered again
                continue;
            }
            total += n;
        }
        feeder.join(10_000);
        assertFalse(feeder.isAlive());
        assertEquals(input.length, total, "every byte of the input reached the guest");
    }
}
