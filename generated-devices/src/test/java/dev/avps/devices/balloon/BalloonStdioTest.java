package dev.avps.devices.balloon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** New targets typed on avps-serve's stdin, and what is not one. */
class BalloonStdioTest {

    @Test
    void eachNumberIsANewTargetAndAnythingElseIsAnsweredAndSkipped() throws Exception {
        BalloonDevice balloon = new BalloonDevice(256);
        AtomicInteger announced = new AtomicInteger();
        balloon.onConfigChange(announced::incrementAndGet);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int set = BalloonStdio.feed(balloon, new StringReader("512\n\nlots\n-3\n 128 \n4294967296\n"),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String said = log.toString(StandardCharsets.UTF_8);
        assertEquals(2, set, said);
        assertEquals(128, balloon.targetPages(), "the last good target stands");
        assertEquals(2, announced.get(), "each good target was announced once");
        assertTrue(said.contains("balloon target 512 pages (2048 KiB)"), said);
        assertTrue(said.contains("not 'lots'"), said);
        assertTrue(said.contains("not -3") && said.contains("not 4294967296"), said);
    }
}
