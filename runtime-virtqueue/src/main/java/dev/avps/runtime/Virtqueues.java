package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;

/**
 * Builds the queue implementation matching the negotiated features, so device backends and
 * tests only ever see {@link DeviceQueue} and {@link DriverQueue}.
 */
public final class Virtqueues {
    /** Largest queue size either ring format allows. */
    public static final int MAX_SIZE = RingLayout.MAX_SIZE;

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
        return device(memory, config, features, freshPosition(features));
    }

    /**
     * The resume position of a ring nobody has used yet: 0 for a split ring; for a packed ring
     * slot 0 with both wrap counters at their initial 1 (0 itself means slot 0 after a wrap).
     */
    public static int freshPosition(long features) {
        return VirtioFeatures.has(features, VirtioFeatures.RING_PACKED) ? 0x8000_8000 : 0;
    }

    /**
     * The device end of a queue that already ran, resumed at {@code position} (a value from
     * {@link DeviceQueue#resumePosition}, a transport's saved ring base, or {@link #freshPosition}).
     * For a split ring the next used entry goes where the ring's used.idx says.
     *
     * @throws VirtqueueException {@code BAD_RING_LAYOUT} if the size or ring addresses are unusable
     */
    public static DeviceQueue device(GuestMemory memory, QueueConfig config, long features, int position)
            throws VirtqueueException {
        return VirtioFeatures.has(features, VirtioFeatures.RING_PACKED)
                ? new PackedDeviceQueue(memory, config, features, position)
                : new SplitDeviceQueue(memory, config, features, position);
    }

    /** The driver end of a queue; the rings are initialised (zeroed) by this call. */
    public static DriverQueue driver(GuestMemory memory, QueueConfig config, long features)
            throws VirtqueueException {
        return VirtioFeatures.has(features, VirtioFeatures.RING_PACKED)
                ? new PackedDriverQueue(memory, config, features)
                : new SplitDriverQueue(memory, config, features);
    }
}
