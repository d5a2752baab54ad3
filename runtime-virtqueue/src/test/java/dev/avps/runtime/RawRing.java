package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;

/** Writes ring structures byte by byte, the way a hostile driver (or device) could. */
final class RawRing {
    static final int NEXT = 1;
    static final int WRITE = 2;
    static final int INDIRECT = 4;
    static final int AVAIL = 1 << 7;
    static final int USED = 1 << 15;

    final GuestMemory memory;
    final QueueConfig config;
    private int availIdx;

    RawRing(GuestMemory memory, QueueConfig config) {
        this.memory = memory;
        this.config = config;
    }

    /** Split or packed-indirect-table descriptor at {@code base + 16 * index}. */
    void splitDesc(long tableBase, int index, long addr, int len, int flags, int next) {
        long o = tableBase + 16L * index;
        memory.writeLong(o, addr);
        memory.writeInt(o + 8, len);
        memory.writeShort(o + 12, (short) flags);
        memory.writeShort(o + 14, (short) next);
    }

    void splitDesc(int index, long addr, int len, int flags, int next) {
        splitDesc(config.descriptorArea(), index, addr, len, flags, next);
    }

    /** Appends {@code head} to the split avail ring and publishes it. */
    void splitAvail(int head) {
        int n = config.size();
        memory.writeShort(config.driverArea() + 4 + 2L * (availIdx % n), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
        memory.writeShort(config.driverArea() + 2, (short) availIdx);
    }

    void splitAvailIdx(int idx) {
        memory.writeShort(config.driverArea() + 2, (short) idx);
    }

    void splitUsed(int slot, int id, int len, int newIdx) {
        long o = config.deviceArea() + 4 + 8L * slot;
        memory.writeInt(o, id);
        memory.writeInt(o + 4, len);
        memory.writeShort(config.deviceArea() + 2, (short) newIdx);
    }

    /** Packed descriptor made available in the lap given by {@code wrap}. */
    void packedDesc(int slot, long addr, int len, int id, int flags, boolean wrap) {
        long o = config.descriptorArea() + 16L * slot;
        memory.writeLong(o, addr);
        memory.writeInt(o + 8, len);
        memory.writeShort(o + 12, (short) id);
        memory.writeShort(o + 14, (short) (flags | (wrap ? AVAIL : USED)));
    }

    /** Packed indirect-table entry (no next field; flags at offset 14). */
    void packedTableEntry(long tableBase, int index, long addr, int len, int flags) {
        long o = tableBase + 16L * index;
        memory.writeLong(o, addr);
        memory.writeInt(o + 8, len);
        memory.writeShort(o + 12, (short) 0);
        memory.writeShort(o + 14, (short) flags);
    }

    /** Packed descriptor marked used in the lap given by {@code wrap}. */
    void packedUsed(int slot, int id, int len, int flags, boolean wrap) {
        long o = config.descriptorArea() + 16L * slot;
        memory.writeInt(o + 8, len);
        memory.writeShort(o + 12, (short) id);
        memory.writeShort(o + 14, (short) (flags | (wrap ? AVAIL | USED : 0)));
    }
}
