package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;

/**
 * Builds the queue implementation matching the negotiated features, so device backends and
 * tests only ever see {@link DeviceQueue} and {@link DriverQueue}.
 */
public final class Virtqueues {
    /** Largest queue size either ring format allows. */
    public static final int MAX_SIZE = 32768;

    private Virtqueues() {
    }

    /**
     * The device end of a queue the driver has configured.
     *
     * @throws VirtqueueException {@code BAD_RING_LAYOUT} if the size or ring addresses are unusable
     *     (a driver error, reported like any other)
     */
    public static DeviceQueue device(GuestMemory memory, QueueConfig config, long features)
            throws VirtqueueException {
        return VirtioFeatures.has(features, VirtioFeatures.RING_PACKED)
                ? new PackedDeviceQueue(memory, config, features)
                : new SplitDeviceQueue(memory, config, features);
    }

    /** The driver end of a queue; the rings are initialised (zeroed) by this call. */
    public static DriverQueue driver(GuestMemory memory, QueueConfig config, long features)
            throws VirtqueueException {
        return VirtioFeatures.has(features, VirtioFeatures.RING_PACKED)
                ? new PackedDriverQueue(memory, config, features)
                : new SplitDriverQueue(memory, config, features);
    }
}
