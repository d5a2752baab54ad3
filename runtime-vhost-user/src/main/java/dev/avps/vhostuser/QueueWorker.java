package dev.avps.vhostuser;

import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.VirtqueueException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * Serves one virtqueue on its own thread: waits for a kick, drains the ring through the device,
 * publishes the used entries once per batch (when the ring runs dry, or after {@link
 * #PUBLISH_EVERY} completions) and signals the driver when the ring asks for it.
 * A driver that breaks the ring puts the queue into NEEDS_RESET; the worker then stops and the
 * error fd, if any, is signalled. A fault in guest memory itself (a region's file shrank) ends the
 * whole session through {@code onFault}: the worker never dies with an uncaught error.
 */
final class QueueWorker implements Runnable {

    private static final System.Logger LOG = System.getLogger(QueueWorker.class.getName());

    /**
     * How long a worker keeps looking at the ring after its last request before it re-enables
     * notifications and sleeps (the idea of QEMU's adaptive AIO polling). While it looks the
     * driver sees notifications disabled and does not kick, which under TCG spares the guest an
     * emulated MMIO write per request; an idle queue still costs nothing, because the polling
     * only ever follows work. {@code -Davps.vhostuser.pollMicros=0} turns it off.
     */
    static final long POLL_NANOS = Long.getLong("avps.vhostuser.pollMicros", 50) * 1_000;

    /**
     * Used entries published at the latest after this many completions, even while the ring stays
     * busy. Publishing only when the ring runs dry starves a driver that refills as fast as it is
     * answered: DPDK's virtio-user, looping frames back, ran out of transmit descriptors and
     * dropped them. One batch still spares the driver an index update and a notification per
     * chain. Not in the middle of a message a device spreads over chains ({@link
     * VirtioDevice#midMessage}).
     */
    static final int PUBLISH_EVERY = Integer.getInteger("avps.vhostuser.publishEvery", 64);

    private final int index;
    private final DeviceQueue queue;
    private final VirtioDevice device;
    private final EventFd kick;
    private final EventFd call;
    private final EventFd err;
    private final DescriptorChain chain;
    private final Thread thread;
    private final Consumer<String> onFault;
    private volatile boolean running = true;
    /** The device deferred the chain it holds; offer it again before popping another. */
    private boolean parked;
    /** Chains completed since the used entries were last published. */
    private int unpublished;

    QueueWorker(int index, DeviceQueue queue, VirtioDevice device, EventFd kick, EventFd call, EventFd err,
            String name, Consumer<String> onFault) throws IOException {
        this.index = index;
        this.onFault = onFault;
        this.queue = queue;
        this.device = device;
        this.kick = kick;
        this.call = call;
        this.err = err;
        this.chain = queue.newChain();
        kick.openForWaiting();
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        device.queueStarted(index, kick::wakeup);
        thread.start();
    }

    @Override
    public void run() {
        try {
            // Buffers may already be waiting when the ring starts (a reconnect): look once first.
            drain();
            while (running) {
                // A kick (the driver added buffers) or a wake-up (the device has data): drain either way.
                kick.await();
                if (running) {
                    drain();
                }
            }
        } catch (VirtqueueException e) {
            LOG.log(Level.WARNING, "queue {0}: driver error, queue needs reset: {1}", index, e.getMessage());
            signal(err);
        } catch (RuntimeException e) {
            // A bug in the device's handler: without this the worker would end silently and the
            // driver would wait forever; the err fd tells it the queue needs a reset.
            LOG.log(Level.ERROR, "queue " + index + ": the device failed on a request; queue needs reset", e);
            signal(err);
        } catch (IOException e) {
            if (running) {
                LOG.log(Level.WARNING, "queue {0}: notification fd failed: {1}", index, e.getMessage());
            }
        } catch (InternalError e) {
            if (!MemoryFault.is(e)) {
                throw e;
            }
            // The session thread stops this worker and unmaps the memory; it must not be touched again.
            running = false;
            onFault.accept(MemoryFault.reason("queue " + index, e));
        }
    }

    private void drain() throws VirtqueueException {
        do {
            queue.disableNotifications();
            long pollUntil = 0;
            while (running) {
                if (parked || queue.pop(chain)) {
                    int written = device.handle(index, chain);
                    if (written == VirtioDevice.DEFER) {
                        parked = true;
                        break;
                    }
                    parked = false;
                    queue.addUsed(chain, written);
                    pollUntil = 0;
                    if (++unpublished >= PUBLISH_EVERY && !device.midMessage(index)) {
                        complete();
                    }
                    continue;
                }
                // The ring is empty: hand back what is done before looking again.
                complete();
                long now = System.nanoTime();
                if (pollUntil == 0) {
                    pollUntil = now + POLL_NANOS;
                } else if (now - pollUntil >= 0) {
                    break;
                }
                Thread.onSpinWait();
            }
            complete();
            // While a buffer is parked there is no need to hear about more: the device wakes us.
        } while (running && !parked && queue.enableNotifications());
        if (running && !parked) {
            device.queueIdle(index);
        }
    }

    /** Publishes the used entries added so far and signals the driver if the ring asks for it. */
    private void complete() {
        unpublished = 0;
        device.usedPublishing(index);
        queue.flushUsed();
        if (queue.needsNotification()) {
            signal(call);
        }
    }

    private static void signal(EventFd fd) {
        if (fd == null) {
            return;
        }
        try {
            fd.signal();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "signal failed: {0}", e.getMessage());
        }
    }

    /** Stops the thread and waits for it, so the caller may unmap guest memory afterwards. */
    void stop() {
        running = false;
        kick.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // A device handler that never returns: memory must not be unmapped under it.
            throw new IllegalStateException("queue " + index + " worker did not stop within 5 s");
        }
        device.queueStopped(index);
    }

    DeviceQueue queue() {
        return queue;
    }
}
