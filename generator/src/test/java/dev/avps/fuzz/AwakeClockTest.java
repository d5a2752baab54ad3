package dev.avps.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A stopped process must not turn the input in hand into a hang; a real hang must still be one. */
class AwakeClockTest {

    private long now;

    @Test
    void ordinaryStepsCountInFullAndAStopCountsAsOneCap() {
        AwakeClock clock = new AwakeClock(() -> now);
        now += ms(250);
        now += ms(250);
        assertEquals(ms(500), clock.awakeNanos());
        now += TimeUnit.MINUTES.toNanos(20); // SIGSTOP for 20 minutes, then SIGCONT
        assertEquals(ms(500 + AwakeClock.CAP_MILLIS), clock.awakeNanos());
        now += ms(100);
        assertEquals(ms(600 + AwakeClock.CAP_MILLIS), clock.awakeNanos());
    }

    @Test
    void aClockThatStepsBackCountsNothing() {
        AwakeClock clock = new AwakeClock(() -> now);
        now -= ms(1000);
        assertEquals(0, clock.awakeNanos());
    }

    @Test
    void aFutureThatNeverCompletesRunsOutTheBudget() {
        long start = System.nanoTime();
        assertThrows(TimeoutException.class,
                () -> AwakeClock.system().await(new CompletableFuture<String>(), 600));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // At least the budget: the clock never counts more than the wall clock passed.
        assertEquals(true, waited >= 600, "gave up after " + waited + " ms");
    }

    @Test
    void aCompletedFutureIsReturned() throws Exception {
        assertEquals("ok", AwakeClock.system().await(CompletableFuture.completedFuture("ok"), 600));
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
