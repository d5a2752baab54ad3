package dev.avps.generated.watchdog;

import dev.avps.runtime.VirtqueueException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The hand-written half of the virtio-watchdog backend (the generation gap's user side: avps
 * wrote a skeleton of this class once and never touches it again; {@link WatchdogDeviceBase} is
 * regenerated from {@code src/main/avps/watchdog.avps} on every build).
 *
 * <p>The driver starts a timer with a timeout inside the range the config advertises and must
 * kick it before the timeout elapses. If it does not, the device records
 * {@code VIRTIO_WATCHDOG_BOOT_TIMEOUT} in {@code boot_status} and runs its action (in a VMM:
 * reset the guest). With PRETIMEOUT negotiated it first completes a buffer the driver parked on
 * the event queue with the milliseconds left.
 *
 * <p>Time comes from an injected millisecond clock and expiry is checked by {@link #poll()}, which
 * {@link #runOn} schedules periodically; tests call it directly with a fake clock.
 */
public class WatchdogDevice extends WatchdogDeviceBase {

    private final LongSupplier clock;
    private final Runnable action;
    private boolean running;
    private long timeoutMs;
    private long pretimeoutMs;
    private long deadline;
    private boolean warned;
    private long warningRemaining = -1;
    private Runnable eventWakeup = () -> { };
    private int fired;

    /**
     * @param minTimeoutMs the shortest timeout the device accepts (advertised in the config)
     * @param maxTimeoutMs the longest one
     * @param clock        milliseconds, monotonic
     * @param action       what happens when a started timer expires without a kick
     */
    public WatchdogDevice(long minTimeoutMs, long maxTimeoutMs, LongSupplier clock, Runnable action) {
        super(WatchdogFeatures.PRETIMEOUT | WatchdogFeatures.BOOT_STATUS);
        if (minTimeoutMs <= 0 || maxTimeoutMs < minTimeoutMs) {
            throw new IllegalArgumentException("bad timeout range " + minTimeoutMs + ".." + maxTimeoutMs);
        }
        this.clock = clock;
        this.action = action;
        config.minTimeoutMs(minTimeoutMs).maxTimeoutMs(maxTimeoutMs)
                .bootStatus(VirtioWatchdogBootStatus.VIRTIO_WATCHDOG_BOOT_NORMAL);
    }

    /** Checks the timer every {@code periodMs} on {@code timer}. */
    public ScheduledFuture<?> runOn(ScheduledExecutorService timer, long periodMs) {
        return timer.scheduleAtFixedRate(this::poll, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void queueStarted(int queue, Runnable wakeup) {
        if (queueFamily(queue) == Q_EVENTQ) {
            eventWakeup = wakeup;
        }
    }

    @Override
    protected synchronized int onControl(ControlRequest request) throws VirtqueueException {
        if (!request.wellFormed()) {
            return 0;
        }
        VirtioWatchdogReq req = request.readable().req();
        long type = req.type();
        int status;
        if (type == VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_START) {
            status = arm(req.timeoutMs(), req.pretimeoutMs());
        } else if (type == VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_STOP) {
            running = false;
            status = VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_OK;
        } else if (type == VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_KICK) {
            if (running) {
                restart();
                status = VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_OK;
            } else {
                status = VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_EINVAL;
            }
        } else if (type == VirtioWatchdogReqType.VIRTIO_WATCHDOG_REQ_SET_TIMEOUT) {
            status = inRange(req.timeoutMs()) ? setTimeout(req.timeoutMs(), req.pretimeoutMs())
                    : VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_EINVAL;
        } else {
            status = VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_UNSUPP;
        }
        request.writable().status(status);
        return 1;
    }

    @Override
    protected synchronized int onPretimeout(PretimeoutRequest request) throws VirtqueueException {
        if (warningRemaining < 0) {
            return DEFER; // parked until a warning is due
        }
        if (!request.wellFormed()) {
            return 0;
        }
        request.writable().event().remainingMs(warningRemaining);
        warningRemaining = -1;
        return VirtioWatchdogEvent.SIZE;
    }

    /** Checks the deadlines: sends the pretimeout warning, or fires the action on expiry. */
    public void poll() {
        Runnable toRun = null;
        Runnable wake = null;
        synchronized (this) {
            if (!running) {
                return;
            }
            long now = clock.getAsLong();
            long remaining = deadline - now;
            if (remaining <= 0) {
                running = false;
                fired++;
                config.bootStatus(VirtioWatchdogBootStatus.VIRTIO_WATCHDOG_BOOT_TIMEOUT);
                toRun = action;
            } else if (!warned && pretimeoutMs > 0 && remaining <= pretimeoutMs
                    && (negotiated() & WatchdogFeatures.PRETIMEOUT) != 0) {
                warned = true;
                warningRemaining = remaining;
                wake = eventWakeup;
            }
        }
        if (wake != null) {
            wake.run();
        }
        if (toRun != null) {
            toRun.run();
        }
    }

    /** Whether a started timer is counting down. */
    public synchronized boolean running() {
        return running;
    }

    /** How often the action ran. */
    public synchronized int fired() {
        return fired;
    }

    @Override
    public synchronized void reset() {
        super.reset();
        running = false;
        warningRemaining = -1;
    }

    private boolean inRange(long ms) {
        return ms >= config.minTimeoutMs() && ms <= config.maxTimeoutMs();
    }

    private int arm(long timeout, long pretimeout) {
        int status = setTimeout(timeout, pretimeout);
        if (status == VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_OK) {
            running = true;
            restart();
        }
        return status;
    }

    private int setTimeout(long timeout, long pretimeout) {
        if (!inRange(timeout) || pretimeout >= timeout) {
            return VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_EINVAL;
        }
        timeoutMs = timeout;
        pretimeoutMs = pretimeout;
        if (running) {
            restart();
        }
        return VirtioWatchdogStatus.VIRTIO_WATCHDOG_S_OK;
    }

    private void restart() {
        deadline = clock.getAsLong() + timeoutMs;
        warned = false;
    }
}
