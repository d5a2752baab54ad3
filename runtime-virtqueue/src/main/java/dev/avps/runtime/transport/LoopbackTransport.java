package dev.avps.runtime.transport;

import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.Virtqueues;
import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;

/**
 * Driver and device of one queue in the same JVM over shared guest memory, for tests, simulations
 * and benchmarks. Notifications are {@link Doorbell}s, so the two ends may run on one thread
 * (call {@link #kick()} then service the device) or on two (the device thread waits on
 * {@link #deviceDoorbell()}).
 *
 * <p>Guest memory is laid out as the queue followed by a data area of the requested size whose
 * first address is {@link #dataBase()}.
 */
public final class LoopbackTransport {
    private final GuestMemory memory;
    private final QueueConfig config;
    private final DriverQueue driver;
    private final DeviceQueue device;
    private final long dataBase;
    private final Doorbell deviceDoorbell = new Doorbell();
    private final Doorbell driverDoorbell = new Doorbell();

    private LoopbackTransport(GuestMemory memory, QueueConfig config, long features, long dataBase)
            throws VirtqueueException {
        this.memory = memory;
        this.config = config;
        this.dataBase = dataBase;
        // Driver first: it initialises the rings the device then attaches to, as in a real guest.
        this.driver = Virtqueues.driver(memory, config, features);
        this.device = Virtqueues.device(memory, config, features);
    }

    /**
     * A single-region guest with one queue.
     *
     * @param features negotiated feature bits (pick the ring format, EVENT_IDX, ...)
     * @param queueSize ring size
     * @param indirectEntries per-chain indirect table entries for the driver (0 for none)
     * @param dataBytes bytes of guest memory for request/response buffers
     * @param direct off-heap backing instead of a heap array
     */
    public static LoopbackTransport create(long features, int queueSize, int indirectEntries, int dataBytes,
            boolean direct) throws VirtqueueException {
        QueueConfig cfg = QueueConfig.layout(features, queueSize, 0x1000, indirectEntries);
        long dataBase = (cfg.end() + 4095) & -4096L;
        long total = dataBase - 0x1000 + dataBytes;
        if (!direct && total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("guest too large for one heap region: " + total);
        }
        MemoryRegion region = direct ? MemoryRegion.direct(0x1000, total) : MemoryRegion.heap(0x1000, (int) total);
        return new LoopbackTransport(new GuestMemory(region), cfg, features, dataBase);
    }

    public GuestMemory memory() {
        return memory;
    }

    public QueueConfig config() {
        return config;
    }

    public DriverQueue driver() {
        return driver;
    }

    public DeviceQueue device() {
        return device;
    }

    /** First guest address of the data area. */
    public long dataBase() {
        return dataBase;
    }

    /** Rung by the driver side for available-buffer notifications. */
    public Doorbell deviceDoorbell() {
        return deviceDoorbell;
    }

    /** Rung by the device side for used-buffer notifications. */
    public Doorbell driverDoorbell() {
        return driverDoorbell;
    }

    /** Driver side: notifies the device if the suppression rules ask for it; true if it did. */
    public boolean kick() {
        if (driver.kickNeeded()) {
            deviceDoorbell.ring();
            return true;
        }
        return false;
    }

    /** Device side: notifies the driver if the suppression rules ask for it; true if it did. */
    public boolean interrupt() {
        if (device.needsNotification()) {
            driverDoorbell.ring();
            return true;
        }
        return false;
    }
}
