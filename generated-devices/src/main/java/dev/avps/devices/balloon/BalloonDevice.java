package dev.avps.devices.balloon;

import dev.avps.generated.balloon.BalloonDeviceBase;
import dev.avps.generated.balloon.BalloonFeatures;
import dev.avps.generated.balloon.DeflateRequest;
import dev.avps.generated.balloon.InflateRequest;
import dev.avps.generated.balloon.StatsRequest;
import dev.avps.generated.balloon.VirtioBalloonStat;
import dev.avps.generated.balloon.VirtioBalloonStatTag;
import dev.avps.runtime.DescriptorChain;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * virtio-balloon (device ID 5): the host names a target size in 4 KiB pages ({@code num_pages});
 * the driver inflates the balloon towards it by listing page frame numbers on inflateq, takes
 * pages back on deflateq, and writes how many it holds into {@code actual}. The device keeps the
 * set of PFNs in the balloon; it does not touch guest memory, so a page the driver reuses early
 * costs nothing, and offering MUST_TELL_HOST only makes the driver report every page it takes back
 * before using it, which is what the bookkeeping needs to stay exact.
 *
 * <p>With STATS_VQ the driver sends its memory statistics in one buffer it hands over at probe and
 * again each time the device gives the buffer back. The device records the statistics and holds the
 * buffer ({@code DEFER}), so the driver is not asked in a loop; {@link #requestStats()} gives the
 * buffer back when the host wants fresh numbers.
 *
 * <p>A chain the device cannot act on (device-writable bytes on these driver-to-device queues, a
 * length that is not whole entries, a PFN deflated that is not in the balloon, one inflated twice)
 * is refused: logged, counted in {@link #refusals()}, and completed, never thrown out of a handler.
 */
public final class BalloonDevice extends BalloonDeviceBase {

    private static final System.Logger LOG = System.getLogger(BalloonDevice.class.getName());

    /** Bytes of one PFN on inflateq and deflateq. */
    static final int PFN_BYTES = 4;

    /** Guards the PFN set: inflateq and deflateq have their own worker threads. */
    private final Set<Long> balloon = new HashSet<>();
    private final AtomicLong refusals = new AtomicLong();
    private volatile String lastRefusal = "";
    private volatile long actual;

    private final Object statsLock = new Object();
    private Map<String, Long> lastStats = Map.of();
    private long statsUpdates;
    private long ignoredStats;
    /** The driver's stats buffer is parked with us (statsq worker thread writes, others read). */
    private volatile boolean holdingStats;
    /** The host asked for fresh statistics: give the held buffer back when it is offered again. */
    private volatile boolean releaseStats;
    private volatile Runnable statsWakeup;

    /** Set by the transport: raises the configuration change notification. */
    private volatile Runnable configNotifier = () -> { };

    /** A balloon the driver should inflate to {@code targetPages} 4 KiB pages, with statistics. */
    public BalloonDevice(long targetPages) {
        super(BalloonFeatures.STATS_VQ | BalloonFeatures.MUST_TELL_HOST);
        config().numPages(checkTarget(targetPages));
    }

    private static long checkTarget(long pages) {
        if (pages < 0 || pages > 0xffffffffL) {
            throw new IllegalArgumentException("the target is 0 to 2^32-1 pages (num_pages is a le32), not " + pages);
        }
        return pages;
    }

    /**
     * Names a new target while a driver runs: num_pages changes and the driver is told through the
     * configuration change notification, after which it inflates or deflates towards it. Without a
     * transport that can notify, the driver sees the target at its next config read.
     */
    public void target(long pages) {
        config().numPages(checkTarget(pages));
        configNotifier.run();
    }

    @Override
    public void onConfigChange(Runnable notifier) {
        configNotifier = notifier;
    }

    /** The device features a front end must be told of, by their spec names (for {@code avps qemu-args}). */
    public List<String> offeredFeatureNames() {
        List<String> names = new ArrayList<>();
        for (int bit : offeredFeatures().bits()) {
            if (BalloonFeatures.DEVICE_SET.has(bit)) {
                names.add(BalloonFeatures.name(bit));
            }
        }
        return names;
    }

    /** The target size in pages (config num_pages). */
    public long targetPages() {
        return config().numPages();
    }

    /** The PFNs in the balloon now, in order. */
    public Set<Long> pages() {
        synchronized (balloon) {
            return new TreeSet<>(balloon);
        }
    }

    /** How many PFNs are in the balloon now. */
    public int pageCount() {
        synchronized (balloon) {
            return balloon.size();
        }
    }

    /** The pages the driver last said it holds (config actual). */
    public long actual() {
        return actual;
    }

    /** Chains or entries refused so far. */
    public long refusals() {
        return refusals.get();
    }

    /** Why the last refusal happened ("" when none did). */
    public String lastRefusal() {
        return lastRefusal;
    }

    /** The statistics the driver sent last, by tag name ({@code VIRTIO_BALLOON_S_MEMTOT}...), in its order. */
    public Map<String, Long> lastStats() {
        synchronized (statsLock) {
            return lastStats;
        }
    }

    /** How many statistics buffers arrived so far. */
    public long statsUpdates() {
        synchronized (statsLock) {
            return statsUpdates;
        }
    }

    /** Statistics entries with a tag this device does not know, ignored as the spec asks. */
    public long ignoredStats() {
        synchronized (statsLock) {
            return ignoredStats;
        }
    }

    /** Whether the driver's statistics buffer is held, so {@link #requestStats()} can ask for more. */
    public boolean holdingStats() {
        return holdingStats;
    }

    /**
     * Gives the held statistics buffer back, so the driver refills and resends it; returns false
     * when no buffer is held (the driver has not sent one, or it is on its way back already).
     * Wait with {@link #awaitStats} for the update after {@link #statsUpdates()} as read before.
     */
    public boolean requestStats() {
        if (!holdingStats) {
            return false;
        }
        releaseStats = true;
        Runnable w = statsWakeup;
        if (w != null) {
            w.run();
        }
        return true;
    }

    /**
     * Waits until more than {@code seen} statistics buffers have arrived and returns the latest,
     * or null when {@code timeoutMillis} passes first.
     */
    public Map<String, Long> awaitStats(long seen, long timeoutMillis) throws InterruptedException {
        long until = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (statsLock) {
            while (statsUpdates <= seen) {
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return null;
                }
                statsLock.wait(left);
            }
            return lastStats;
        }
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queueFamily(queue) == Q_STATSQ) {
            statsWakeup = wakeup;
        }
    }

    @Override
    public void queueStopped(int queue) {
        if (queueFamily(queue) == Q_STATSQ) {
            // The transport drops a parked buffer when the queue stops; the next driver sends a new one.
            statsWakeup = null;
            holdingStats = false;
            releaseStats = false;
        }
    }

    /**
     * Pages stay in the balloon across a reset: they are the host's until a driver deflates them,
     * and Linux deflates everything before it lets go of the device. The fields the driver writes
     * ({@code actual}, {@code poison_val}) go back to 0, as a device returns to its initial state
     * (found by conformance's {@code dev_reset_initial_state}: {@code actual} kept the old driver's count).
     */
    @Override
    public void reset() {
        super.reset();
        holdingStats = false;
        releaseStats = false;
        config().actual(0).poisonVal(0);
        actual = 0;
    }

    @Override
    protected void configWritten(int offset, int length) {
        actual = config().actual();
    }

    @Override
    protected int onInflate(InflateRequest request) {
        if (!wholePfns(request.chain(), "inflate")) {
            return 0;
        }
        InflateRequest.Readable r = request.readable();
        int n = r.pfnsCount();
        synchronized (balloon) {
            for (int i = 0; i < n; i++) {
                long pfn = r.pfns(i);
                if (!balloon.add(pfn)) {
                    refuse("inflate: PFN " + pfn + " is in the balloon already");
                }
            }
        }
        return 0;
    }

    @Override
    protected int onDeflate(DeflateRequest request) {
        if (!wholePfns(request.chain(), "deflate")) {
            return 0;
        }
        DeflateRequest.Readable r = request.readable();
        int n = r.pfnsCount();
        synchronized (balloon) {
            for (int i = 0; i < n; i++) {
                long pfn = r.pfns(i);
                if (!balloon.remove(pfn)) {
                    refuse("deflate: PFN " + pfn + " is not in the balloon");
                }
            }
        }
        return 0;
    }

    @Override
    protected int onStats(StatsRequest request) {
        if (holdingStats) {
            if (!releaseStats) {
                return DEFER; // offered again without a request from the host: keep holding it
            }
            holdingStats = false;
            releaseStats = false;
            return 0;
        }
        DescriptorChain chain = request.chain();
        if (chain.writableBytes() != 0) {
            refuse("stats: a chain with " + chain.writableBytes() + " device-writable bytes on a driver-to-device queue");
            return 0;
        }
        if (chain.readableBytes() % VirtioBalloonStat.SIZE != 0) {
            refuse("stats: " + chain.readableBytes() + " bytes are not whole " + VirtioBalloonStat.SIZE + "-byte entries");
            return 0;
        }
        StatsRequest.Readable r = request.readable();
        Map<String, Long> stats = new LinkedHashMap<>();
        long unknown = 0;
        for (int i = 0; i < r.statsCount(); i++) {
            VirtioBalloonStat s = r.stats(i);
            String name = VirtioBalloonStatTag.name(s.tag());
            if (name == null) {
                unknown++; // a newer driver's tag: the spec has the device ignore it
            } else {
                stats.put(name, s.val());
            }
        }
        synchronized (statsLock) {
            lastStats = Collections.unmodifiableMap(stats);
            ignoredStats += unknown;
            statsUpdates++;
            statsLock.notifyAll();
        }
        holdingStats = true;
        return DEFER; // the buffer stays with the device until the host wants fresh statistics
    }

    /** Whether a PFN chain is readable-only and whole 4-byte entries; refuses it otherwise. */
    private boolean wholePfns(DescriptorChain chain, String what) {
        if (chain.writableBytes() != 0) {
            refuse(what + ": a chain with " + chain.writableBytes() + " device-writable bytes on a driver-to-device queue");
            return false;
        }
        if (chain.readableBytes() % PFN_BYTES != 0) {
            refuse(what + ": " + chain.readableBytes() + " bytes are not whole " + PFN_BYTES + "-byte PFNs");
            return false;
        }
        return true;
    }

    private void refuse(String why) {
        refusals.incrementAndGet();
        lastRefusal = why;
        LOG.log(Level.WARNING, "balloon: refused: {0}", why);
    }
}
