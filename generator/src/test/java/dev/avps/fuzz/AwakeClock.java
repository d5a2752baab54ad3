package dev.avps.fuzz;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Time the process spent running, for the fuzzer's hang verdict. A campaign worker may be
 * stopped (SIGSTOP while CI or a benchmark needs the cores, a suspended machine) for minutes;
 * measured by the wall clock, the input being checked at that moment would look hung. Here the
 * clock advances in steps read every {@link #POLL_MILLIS}, each step counting for at most
 * {@link #CAP_MILLIS}, so a stop of any length adds at most one cap, while a real hang (a loop or a
 * thread blocked forever) still runs out the budget at the ordinary pace.
 */
final class AwakeClock {

    static final long POLL_MILLIS = 250;
    static final long CAP_MILLIS = 2_000;

    private final LongSupplier nanos;
    private long last;
    private long awake;

    AwakeClock(LongSupplier nanos) {
        this.nanos = nanos;
        this.last = nanos.getAsLong();
    }

    static AwakeClock system() {
        return new AwakeClock(System::nanoTime);
    }

    /** Reads the wall clock once and returns the running time so far, in nanoseconds. */
    long awakeNanos() {
        long now = nanos.getAsLong();
        awake += Math.min(Math.max(0, now - last), TimeUnit.MILLISECONDS.toNanos(CAP_MILLIS));
        last = now;
        return awake;
    }

    /**
     * Waits for {@code f} until it completes or this clock has counted {@code budgetMillis} of
     * running time.
     *
     * @throws TimeoutException when the budget ran out first
     */
    <T> T await(Future<T> f, long budgetMillis) throws InterruptedException, ExecutionException, TimeoutException {
        long budget = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        while (true) {
            try {
                return f.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (awakeNanos() >= budget) {
                    throw e;
                }
            }
        }
    }
}
