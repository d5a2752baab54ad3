package dev.avps.vhostuser.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.vhostuser.VhostUserServer;
import java.util.concurrent.TimeUnit;

/** Waits (bounded) until the server has ended a number of sessions, i.e. released their fds and mappings. */
final class VhostUserServerWait {
    private VhostUserServerWait() {
    }

    static void ended(VhostUserServer server, int sessions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.ended() < sessions) {
            assertTrue(System.nanoTime() < deadline, "only " + server.ended() + " of " + sessions
                    + " sessions ended within 10 s");
            Thread.sleep(5);
        }
    }
}
