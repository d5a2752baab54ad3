package dev.avps.runtime;

/**
 * Where everything sits in the VIRTIO 1.x ring areas (spec sections 2.7 split and 2.8 packed):
 * the one place that knows the header and element sizes, the area sizes and alignments, and the
 * event words, so the ring ends, {@link QueueConfig} and transports compute no offsets of their own.
 *
 * <p>Offsets are bytes from the start of the area they belong to. All multi-byte fields are
 * little-endian.
 */
public final class RingLayout {
    /** Largest queue size either format allows (2^15: a packed ring position keeps bit 15 for the wrap counter). */
    public static final int MAX_SIZE = 32768;

    // ---- descriptors: the split descriptor table and the packed ring share the 16-byte element ----

    public static final int DESCRIPTOR_SIZE = 16;
    /** Alignment of a split descriptor table and of a packed descriptor ring. */
    public static final int DESCRIPTOR_ALIGNMENT = 16;
    /** le64 guest address of the buffer. */
    public static final int DESC_ADDR = 0;
    /** le32 buffer length. */
    public static final int DESC_LEN = 8;
    /** Split: le16 flags. */
    public static final int SPLIT_DESC_FLAGS = 12;
    /** Split: le16 index of the next descriptor when NEXT is set. */
    public static final int SPLIT_DESC_NEXT = 14;
    /** Packed: le16 buffer id. */
    public static final int PACKED_DESC_ID = 12;
    /** Packed: le16 flags, including the AVAIL and USED ownership bits. */
    public static final int PACKED_DESC_FLAGS = 14;

    // ---- split avail (driver area) and used (device area) rings: flags, idx, ring[size], event ----

    /** le16 flags word at the start of either ring. */
    public static final int RING_FLAGS = 0;
    /** le16 free-running index at offset 2 of either ring. */
    public static final int RING_IDX = 2;
    /** flags + idx, before the first ring element. */
    public static final int RING_HEADER_SIZE = 4;
    /** avail ring element: le16 head descriptor index. */
    public static final int AVAIL_ELEMENT_SIZE = 2;
    /** used ring element: le32 id, le32 len. */
    public static final int USED_ELEMENT_SIZE = 8;
    public static final int USED_ELEMENT_ID = 0;
    public static final int USED_ELEMENT_LEN = 4;
    /** The trailing le16 event word (used_event after the avail ring, avail_event after the used ring). */
    public static final int EVENT_SIZE = 2;
    public static final int AVAIL_ALIGNMENT = 2;
    public static final int USED_ALIGNMENT = 4;

    // ---- packed event suppression (driver and device areas): off_wrap, flags ----

    /** le16 descriptor event offset (bits 0-14) and wrap counter (bit 15). */
    public static final int EVENT_OFF_WRAP = 0;
    /** le16 event suppression mode (enable, disable, desc). */
    public static final int EVENT_FLAGS = 2;
    public static final int EVENT_SUPPRESSION_SIZE = 4;
    public static final int EVENT_SUPPRESSION_ALIGNMENT = 4;

    private RingLayout() {
    }

    /** Bytes of a descriptor table or packed ring of {@code size} entries. */
    public static long descriptorAreaSize(int size) {
        return (long) DESCRIPTOR_SIZE * size;
    }

    /** Offset of descriptor {@code index} in its table. */
    public static long descriptor(int index) {
        return (long) DESCRIPTOR_SIZE * index;
    }

    /** Bytes of a split avail ring, with its trailing used_event word. */
    public static long availRingSize(int size) {
        return RING_HEADER_SIZE + (long) AVAIL_ELEMENT_SIZE * size + EVENT_SIZE;
    }

    /** Offset of avail ring element {@code slot}. */
    public static long availElement(int slot) {
        return RING_HEADER_SIZE + (long) AVAIL_ELEMENT_SIZE * slot;
    }

    /** Offset of used_event (written by the driver) in the avail ring of a {@code size}-entry queue. */
    public static long usedEvent(int size) {
        return RING_HEADER_SIZE + (long) AVAIL_ELEMENT_SIZE * size;
    }

    /** Bytes of a split used ring, with its trailing avail_event word. */
    public static long usedRingSize(int size) {
        return RING_HEADER_SIZE + (long) USED_ELEMENT_SIZE * size + EVENT_SIZE;
    }

    /** Offset of used ring element {@code slot}. */
    public static long usedElement(int slot) {
        return RING_HEADER_SIZE + (long) USED_ELEMENT_SIZE * slot;
    }

    /** Offset of avail_event (written by the device) in the used ring of a {@code size}-entry queue. */
    public static long availEvent(int size) {
        return RING_HEADER_SIZE + (long) USED_ELEMENT_SIZE * size;
    }

    /** Bytes of the driver area: the avail ring (split) or the driver event suppression (packed). */
    public static long driverAreaSize(boolean packed, int size) {
        return packed ? EVENT_SUPPRESSION_SIZE : availRingSize(size);
    }

    /** Bytes of the device area: the used ring (split) or the device event suppression (packed). */
    public static long deviceAreaSize(boolean packed, int size) {
        return packed ? EVENT_SUPPRESSION_SIZE : usedRingSize(size);
    }

    public static int driverAreaAlignment(boolean packed) {
        return packed ? EVENT_SUPPRESSION_ALIGNMENT : AVAIL_ALIGNMENT;
    }

    public static int deviceAreaAlignment(boolean packed) {
        return packed ? EVENT_SUPPRESSION_ALIGNMENT : USED_ALIGNMENT;
    }

    /** Whether {@code size} is a queue size the format allows (split: a power of two). */
    public static boolean validSize(boolean packed, int size) {
        return size >= 1 && size <= MAX_SIZE && (packed || Integer.bitCount(size) == 1);
    }
}
