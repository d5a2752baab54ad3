package dev.avps.runtime.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DoorbellTest {
    @Test
    void awaitTimesOutWithoutARing() {
        Doorbell bell = new Doorbell();
        long start = System.nanoTime();
        assertEquals(0, bell.await(0, 20, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(15));
    }

    @Test
    void aRingSeenBeforeWaitingReturnsImmediately() {
        Doorbell bell = new Doorbell();
        bell.ring();
        assertEquals(1, bell.await(0, 10, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(10)
    void ringFromAnotherThreadWakesAParkedWaiter() throws Exception {
        Doorbell bell = new Doorbell();
        Thread ringer = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bell.ring();
        });
        ringer.start();
        long start = System.nanoTime();
        assertEquals(1, bell.await(0, 5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "woken by the ring, not the timeout");
        ringer.join();
    }
}
