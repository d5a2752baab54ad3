package dev.avps.vhostuser.driver;

import dev.avps.runtime.QueueConfig;
import dev.avps.runtime.RingLayout;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.invoke.VarHandle;

/**
 * Writes ring structures field by field into the shared memory, with no validation at all: the way
 * a buggy or hostile driver could. The runtime's driver queues only build well-formed chains, so
 * conformance checks that must be hostile on purpose (see {@link HostileChain}) go through here.
 *
 * <p>Meant for a ring with no chains outstanding: raw descriptors overwrite whatever the driver
 * queue had placed there, and the driver queue does not know about raw chains.
 */
public final class RawRingWriter {
    /** Descriptor flags (VIRTIO 1.x 2.7.5 and 2.8.1). */
    public static final int F_NEXT = 1;
    public static final int F_WRITE = 2;
    public static final int F_INDIRECT = 4;
    /** Packed ownership bits. */
    public static final int F_AVAIL = 1 << 7;
    public static final int F_USED = 1 << 15;

    private final GuestMemory memory;
    private final QueueConfig config;

    RawRingWriter(GuestMemory memory, QueueConfig config) {
        this.memory = memory;
        this.config = config;
    }

    public QueueConfig config() {
        return config;
    }

    /** Split descriptor {@code index}: any address, length, flags and next. */
    public void splitDescriptor(int index, long addr, int len, int flags, int next) {
        long o = config.descriptorArea() + RingLayout.descriptor(index);
        memory.writeLong(o + RingLayout.DESC_ADDR, addr);
        memory.writeInt(o + RingLayout.DESC_LEN, len);
        memory.writeShort(o + RingLayout.SPLIT_DESC_FLAGS, (short) flags);
        memory.writeShort(o + RingLayout.SPLIT_DESC_NEXT, (short) next);
    }

    /**
     * Appends {@code head} (any value, in range or not) to the split avail ring at the index the
     * ring currently shows, then publishes the new index.
     */
    public void splitPublish(int head) {
        long avail = config.driverArea();
        int idx = memory.readShort(avail + RingLayout.RING_IDX) & 0xffff;
        memory.writeShort(avail + RingLayout.availElement(idx % config.size()), (short) head);
        // The descriptors and the ring entry must be visible before the index that announces them
        // (GuestMemory's stores are plain); the backend reads the index with acquire semantics.
        VarHandle.fullFence();
        memory.writeShort(avail + RingLayout.RING_IDX, (short) (idx + 1));
    }

    /** Sets the split avail index to any value (e.g. a jump past the ring size). */
    public void splitAvailIndex(int idx) {
        memory.writeShort(config.driverArea() + RingLayout.RING_IDX, (short) idx);
    }

    /**
     * Packed descriptor at {@code slot}, made available in the lap {@code wrap} (true: the first
     * lap), flags besides AVAIL/USED as given.
     */
    public void packedDescriptor(int slot, long addr, int len, int id, int flags, boolean wrap) {
        long o = config.descriptorArea() + RingLayout.descriptor(slot);
        memory.writeLong(o + RingLayout.DESC_ADDR, addr);
        memory.writeInt(o + RingLayout.DESC_LEN, len);
        memory.writeShort(o + RingLayout.PACKED_DESC_ID, (short) id);
        // Flags last, after a fence: they hand the descriptor to the device.
        VarHandle.fullFence();
        memory.writeShort(o + RingLayout.PACKED_DESC_FLAGS, (short) (flags | (wrap ? F_AVAIL : F_USED)));
    }
}
