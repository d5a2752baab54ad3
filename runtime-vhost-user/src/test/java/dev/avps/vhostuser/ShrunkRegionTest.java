package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.Virtqueues;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front end shrinks guest RAM's file under a running ring (the JVM turns the SIGBUS into an
 * InternalError in whichever thread touched the page): that session ends with a reason, no thread
 * dies with an uncaught error, and the server serves the next front end.
 */
class ShrunkRegionTest {

    @TempDir
    Path dir;

    @Test
    void aRegionShrunkUnderARunningRingEndsTheSessionWithAReason() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.compareAndSet(null, e));
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("shrink.sock"), new EchoDevice());
                SharedMemory ram = new SharedMemory(dir, 1 << 20); FrontEnd fe = new FrontEnd(server.path());
                TestEventFd kick = new TestEventFd(); TestEventFd call = new TestEventFd()) {
            long features = EchoDevice.VERSION_1;
            QueueConfig cfg = VhostUserServerTest.startRing(fe, ram, features, 64, kick, call);
            DriverQueue driver = Virtqueues.driver(ram.memory, cfg, features);
            VhostUserServerTest.rounds(ram, driver, kick, call, 0, 5);
            int endedBefore = server.ended();

            // One more request goes in while the file is whole; then the file shrinks to nothing
            // and the kick sends the worker into pages that no longer exist.
            Thread.sleep(50);
            driver.addOut(SharedMemory.GPA + 0x8000, 16).addIn(SharedMemory.GPA + 0x9000, 16).submit(5);
            ram.raf.setLength(0);
            kick.signal();

            assertTrue(fe.closedByPeer(), "the session ends");
            VhostUserServerTest.waitFor(() -> server.ended() > endedBefore);
            String reason = server.lastEndReason();
            assertTrue(reason != null && reason.contains("guest memory"), "reason: " + reason);
            try (FrontEnd next = new FrontEnd(server.path())) {
                assertEquals(2, next.getU64(VhostUserRequest.GET_QUEUE_NUM), "the next front end is served");
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(old);
        }
        assertNull(uncaught.get(), "no thread died with an uncaught error");
    }
}
