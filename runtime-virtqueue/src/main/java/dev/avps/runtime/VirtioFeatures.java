package dev.avps.runtime;

/** Feature bits (VIRTIO 1.x, reserved range 24..40) that change how a virtqueue behaves. */
public final class VirtioFeatures {
    /** Descriptors may point at a table of further descriptors. */
    public static final long INDIRECT_DESC = 1L << 28;
    /** Notifications are suppressed by event indexes instead of on/off flags. */
    public static final long EVENT_IDX = 1L << 29;
    /** The device is a VIRTIO 1.x (non-legacy) device. */
    public static final long VERSION_1 = 1L << 32;
    /** The packed ring layout is used instead of the split one. */
    public static final long RING_PACKED = 1L << 34;
    /** Buffers are used by the device in the order they were made available. */
    public static final long IN_ORDER = 1L << 35;

    private VirtioFeatures() {
    }

    public static boolean has(long features, long bit) {
        return (features & bit) != 0;
    }
}
