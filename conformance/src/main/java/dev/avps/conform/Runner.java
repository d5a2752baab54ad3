package dev.avps.conform;

import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.VhostUserFrontEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs checks one at a time against a backend. Each check runs on its own thread with a deadline
 * ({@link Target#checkMillis} unless the check asks for another); one that overruns is failed
 * with that reason and its connections are closed, which ends any wait inside it. After a failure
 * the runner makes sure the backend still takes connections; if it does not within
 * {@link Connector#RECONNECT_MILLIS}, the checks not yet run fail with that verdict and the run
 * stops, so a dead backend costs seconds, not a timeout per check.
 */
public final class Runner {

    private Runner() {
    }

    public static DeviceReport run(Target target, String label) {
        return run(target, label, Registry.checksFor(target.catalog().device()));
    }

    public static DeviceReport run(Target target, String label, List<Check> checks) {
        long t0 = System.nanoTime();
        List<CheckResult> results = new ArrayList<>();
        long offered;
        try (VhostUserFrontEnd fe = Connector.connect(target)) {
            offered = fe.getFeatures();
        } catch (FrontEndException e) {
            String why = "cannot connect to the backend: " + e.getMessage();
            for (Check c : checks) {
                results.add(new CheckResult(c.name(), Verdict.FAILED, "not run: " + why, 0));
            }
            return new DeviceReport(label, target.catalog(), results, why, ms(t0));
        }
        // Read once, before any check holds a connection (a backend may serve one front end at a time).
        Function<String, OptionalLong> config = CheckContext.readConfigValues(target, offered);
        String aborted = "";
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "avps-conform-check");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Check c : checks) {
                if (!aborted.isEmpty()) {
                    results.add(new CheckResult(c.name(), Verdict.FAILED, "not run: " + aborted, 0));
                    continue;
                }
                CheckResult r = runOne(pool, target, offered, config, c);
                results.add(r);
                if (r.verdict() == Verdict.FAILED && !alive(target)) {
                    aborted = "the backend stopped taking connections after " + c.name();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new DeviceReport(label, target.catalog(), offered, results, aborted, ms(t0));
    }

    private static CheckResult runOne(ExecutorService pool, Target target, long offered,
            Function<String, OptionalLong> config, Check c) {
        long t0 = System.nanoTime();
        long limit = c.timeoutMillis() > 0 ? c.timeoutMillis() : target.checkMillis();
        CheckContext ctx = new CheckContext(target, offered, config);
        Future<?> f = pool.submit(() -> {
            c.body().run(ctx);
            return null;
        });
        Verdict verdict;
        String reason;
        try {
            f.get(limit, TimeUnit.MILLISECONDS);
            verdict = Verdict.PASSED;
            reason = ctx.noteText();
        } catch (TimeoutException e) {
            f.cancel(true);
            verdict = Verdict.FAILED;
            reason = "did not finish within " + limit + " ms: the backend hung";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Inapplicable i) {
                verdict = i.verdict();
                reason = i.getMessage();
            } else if (cause instanceof CheckFailure || cause instanceof FrontEndException) {
                verdict = Verdict.FAILED;
                reason = cause.getMessage();
            } else {
                verdict = Verdict.FAILED;
                reason = "internal error in the check: " + cause;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            verdict = Verdict.FAILED;
            reason = "interrupted";
        } finally {
            ctx.close();
        }
        return new CheckResult(c.name(), verdict, reason, ms(t0));
    }

    private static boolean alive(Target target) {
        try (VhostUserFrontEnd fe = Connector.connect(target)) {
            return true;
        } catch (FrontEndException e) {
            return false;
        }
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
