package dev.avps.devices.can;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** avps-serve's candump-style frame lines. */
class CanStdioTest {

    @Test
    void readsTheFormsCandumpPrints() {
        assertEquals(CanFrame.classic(0x123, (byte) 0xde, (byte) 0xad), CanStdio.parse("123#DEAD"));
        assertEquals(new CanFrame(0x1234abcd, CanFrame.EXTENDED, new byte[] {0}), CanStdio.parse("1234ABCD#00"));
        assertEquals(new CanFrame(0x10, CanFrame.FD, new byte[] {(byte) 0xaa, (byte) 0xbb}), CanStdio.parse("010##1AABB"),
                "the flags nibble after ## is skipped");
        assertEquals(new CanFrame(0x10, CanFrame.RTR, new byte[4]), CanStdio.parse("010#R4"));
        assertEquals(CanFrame.classic(0x7ff), CanStdio.parse("7FF#"));
    }

    @Test
    void refusesWhatNoBusCarries() {
        assertThrows(IllegalArgumentException.class, () -> CanStdio.parse("800#00"), "12-bit standard identifier");
        assertThrows(IllegalArgumentException.class, () -> CanStdio.parse("123#001122334455667788"), "9 classic bytes");
        assertThrows(IllegalArgumentException.class, () -> CanStdio.parse("123#XYZ"));
        assertThrows(IllegalArgumentException.class, () -> CanStdio.parse("#00"));
    }

    @Test
    void feedInjectsEachLineAndExplainsTheRest() throws Exception {
        CanDevice can = new CanDevice(false);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CanStdio.feed(can, new StringReader("123#01\n"), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("stopped"), "a stopped controller drops it");
        assertEquals(1, can.dropped());
        err.reset();
        CanStdio.feed(can, new StringReader("nonsense\n\n"), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("expected ID#DATA"), err.toString());
    }
}
