package dev.avps.runtime;

import static dev.avps.runtime.PackedDeviceQueue.EVENT_DESC;
import static dev.avps.runtime.PackedDeviceQueue.EVENT_DISABLE;
import static dev.avps.runtime.PackedDeviceQueue.EVENT_ENABLE;
import static dev.avps.runtime.PackedDeviceQueue.F_AVAIL;
import static dev.avps.runtime.PackedDeviceQueue.F_USED;
import static dev.avps.runtime.PackedDeviceQueue.offWrap;
import static dev.avps.runtime.Rings.F_INDIRECT;
import static dev.avps.runtime.Rings.F_NEXT;
import static dev.avps.runtime.Rings.F_WRITE;
import static dev.avps.runtime.RingLayout.DESC_ADDR;
import static dev.avps.runtime.RingLayout.DESC_LEN;
import static dev.avps.runtime.RingLayout.EVENT_FLAGS;
import static dev.avps.runtime.RingLayout.EVENT_OFF_WRAP;
import static dev.avps.runtime.RingLayout.PACKED_DESC_FLAGS;
import static dev.avps.runtime.RingLayout.PACKED_DESC_ID;
import static dev.avps.runtime.RingLayout.descriptor;
import static dev.avps.runtime.SegmentAccess.getInt;
import static dev.avps.runtime.SegmentAccess.getLong;
import static dev.avps.runtime.SegmentAccess.getU16;
import static dev.avps.runtime.SegmentAccess.getU16Acquire;
import static dev.avps.runtime.SegmentAccess.putInt;
import static dev.avps.runtime.SegmentAccess.putLong;
import static dev.avps.runtime.SegmentAccess.putShort;
import static dev.avps.runtime.SegmentAccess.putU16Release;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Driver end of a packed virtqueue. Buffer ids and per-buffer bookkeeping are kept in Java arrays;
 * every used descriptor read back is validated against them.
 */
final class PackedDriverQueue extends RingEnd implements DriverQueue {
    private final boolean useIndirect;
    private final int indirectEntries;

    // Event suppression areas and the indirect pool as segment slices, validated once in the
    // constructor; slot and pool offsets come from ring positions below the size and from ids
    // this driver allocated.
    private final MemorySegment driverEvent;
    private final MemorySegment deviceEvent;
    /** One indirect table of {@link #indirectEntries} per buffer id, or null. */
    private final MemorySegment pool;
    private final long poolGpa;

    private int nextAvail;
    private boolean availWrap = true;
    private int lastUsed;
    private boolean usedWrap = true;
    private int freeSlots;
    private int addedSlots;
    private boolean callbacksEnabled = true;

    private final int[] freeIds;
    private int freeIdCount;
    // Per buffer id: the caller's cookie, the writable bytes (the bound for the used length) and
    // the ring slots it takes (0 while the id is free), so nothing read back from the ring is trusted.
    private final long[] cookies;
    private final int[] slots;
    private final long[] inBytes;
    private int outstandingCount;
    private final int[] fifo;
    private int fifoHead;
    private int fifoTail;

    private final Staging staging;

    // Write-through staging: while a chain is staged in chain order on a queue without indirect
    // tables, each buffer also goes straight into the ring slot it will occupy, under the buffer id
    // the chain will get (the top of the free-id stack), so submit() only drops the last
    // descriptor's NEXT and stores the head's flags. The head's flags are never written early: that
    // store, with release, is what hands the chain to the device. The staging arrays still record
    // every buffer, in Java memory: whenever the shortcut does not hold (a readable buffer after a
    // writable one, too few free slots or ids, a reclaim in between that pushed another id on the
    // stack) submit() writes the chain from them as before.
    /** Buffers of the staged chain already in the ring, or -1 when this chain goes the staged way. */
    private int throughCount;
    private int throughId;
    /** The head's flags but NEXT, stored by submit(). */
    private int throughHeadFlags;
    /** The slot (and its wrap counter) after the chain's last written descriptor. */
    private int throughSlot;
    private boolean throughWrap;
    /** The last non-head descriptor's slot and its len | id << 32 | flags << 48 word, written with NEXT set. */
    private int throughLastSlot;
    private long throughWord;
    private boolean throughWritable;
    /**
     * Slots written so far for the staged chain, head included; kept when the chain falls back to
     * the staged way, whose longer or equal chain then overwrites them all.
     */
    private int throughSpan;

    PackedDriverQueue(GuestMemory memory, QueueConfig config, long features) throws VirtqueueException {
        super(memory, config, features, true);
        int n = size;
        this.useIndirect = indirect && config.indirectEntries() > 1;
        this.indirectEntries = useIndirect ? config.indirectEntries() : 0;
        driverEvent = Rings.map(memory, config.driverArea(), RingLayout.EVENT_SUPPRESSION_SIZE,
                RingLayout.EVENT_SUPPRESSION_ALIGNMENT, "packed driver event suppression");
        deviceEvent = Rings.map(memory, config.deviceArea(), RingLayout.EVENT_SUPPRESSION_SIZE,
                RingLayout.EVENT_SUPPRESSION_ALIGNMENT, "packed device event suppression");
        if (useIndirect) {
            pool = Rings.map(memory, config.indirectPool(), RingLayout.descriptorAreaSize(n) * indirectEntries,
                    RingLayout.DESCRIPTOR_ALIGNMENT, "indirect pool");
            poolGpa = config.indirectPool();
        } else {
            pool = null;
            poolGpa = 0;
        }
        desc.fill((byte) 0);
        driverEvent.fill((byte) 0);
        deviceEvent.fill((byte) 0);
        if (eventIdx) {
            // Start in event-index mode, like a split ring whose used_event starts at 0.
            // Release: the event offset is in place before the mode that tells the device to read it.
            putShort(driverEvent, EVENT_OFF_WRAP, offWrap(0, true));
            putU16Release(driverEvent, EVENT_FLAGS, EVENT_DESC);
        }
        freeSlots = n;
        freeIds = new int[n];
        for (int i = 0; i < n; i++) {
            freeIds[i] = n - 1 - i;
        }
        freeIdCount = n;
        cookies = new long[n];
        slots = new int[n];
        inBytes = new long[n];
        fifo = inOrder ? new int[n] : null;
        staging = new Staging(n);
        resetThrough();
    }

    @Override
    public DriverQueue addOut(long gpa, int length) {
        staging.out(gpa, length);
        if (throughCount >= 0) {
            writeThrough(gpa, length, false);
        }
        return this;
    }

    @Override
    public DriverQueue addIn(long gpa, int length) {
        staging.in(gpa, length);
        if (throughCount >= 0) {
            writeThrough(gpa, length, true);
        }
        return this;
    }

    /**
     * Writes the buffer just staged into the slot after the chain's previous one: the head without
     * its flags, the others with NEXT set (submit() clears NEXT on the last). Gives up for this chain
     * when the buffer would go out of chain order or no free slot or id is left.
     */
    private void writeThrough(long gpa, int length, boolean writable) {
        int k = throughCount;
        if (!writable && throughWritable || freeSlots <= k || freeIdCount == 0) {
            throughCount = -1;
            return;
        }
        int slot;
        boolean wrap;
        if (k == 0) {
            slot = nextAvail;
            wrap = availWrap;
            throughId = freeIds[freeIdCount - 1];
        } else {
            slot = throughSlot;
            wrap = throughWrap;
        }
        int f = (writable ? F_WRITE : 0) | availBits(wrap);
        long o = descriptor(slot);
        if (k == 0) {
            putLong(desc, o + DESC_ADDR, gpa);
            putInt(desc, o + DESC_LEN, length);
            putShort(desc, o + PACKED_DESC_ID, throughId);
            throughHeadFlags = f;
        } else {
            long word = (length & 0xffffffffL) | (long) throughId << 32 | (long) (f | F_NEXT) << 48;
            putLong(desc, o + DESC_ADDR, gpa);
            putLong(desc, o + DESC_LEN, word);
            throughLastSlot = slot;
            throughWord = word;
        }
        if (++slot == size) {
            slot = 0;
            wrap = !wrap;
        }
        throughSlot = slot;
        throughWrap = wrap;
        throughWritable |= writable;
        throughCount = k + 1;
        throughSpan = k + 1;
    }

    /** Starts the next chain's write-through, on queues whose chains are never indirect. */
    private void resetThrough() {
        throughCount = useIndirect ? -1 : 0;
        throughWritable = false;
        throughSpan = 0;
    }

    @Override
    public void clearStaged() {
        staging.clear();
        if (throughSpan > 1) {
            scrubThrough();
        }
        resetThrough();
    }

    /**
     * A dropped chain leaves its non-head slots flagged available for this lap, and the device
     * would take them for a chain once it reaches them. Marks them used in the previous lap instead
     * (both bits equal to the other wrap value), as a device would have left them: neither end
     * reads that as available or used until a later submit rewrites the slot.
     */
    private void scrubThrough() {
        int slot = nextAvail;
        boolean wrap = availWrap;
        for (int i = 1; i < throughSpan; i++) {
            if (++slot == size) {
                slot = 0;
                wrap = !wrap;
            }
            putShort(desc, descriptor(slot) + PACKED_DESC_FLAGS, wrap ? 0 : F_AVAIL | F_USED);
        }
    }

    @Override
    public int outstanding() {
        return outstandingCount;
    }

    private int availBits(boolean wrap) {
        return wrap ? F_AVAIL : F_USED;
    }

    @Override
    public int submit(long cookie) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        int n = throughCount;
        // A reclaim since the first buffer was staged pushed another id on top of the chain's.
        if (n <= 0 || freeIds[freeIdCount - 1] != throughId) {
            return submitStaged(cookie);
        }
        // Every buffer is in the ring already (writeThrough checked order, free slots and ids, and
        // nothing since has taken any); the last one's NEXT goes, as submitStaged() would have written it.
        int id = throughId;
        int head = nextAvail;
        int headFlags = throughHeadFlags;
        if (n > 1) {
            putLong(desc, descriptor(throughLastSlot) + DESC_LEN, throughWord & ~((long) F_NEXT << 48));
            headFlags |= F_NEXT;
        }
        freeIdCount--;
        nextAvail = throughSlot;
        availWrap = throughWrap;
        record(id, cookie, n);
        // Release pairs with the device's acquire load of the head flags in pop(): the whole chain
        // (written while staging) is visible before the head slot reads as available.
        putU16Release(desc, descriptor(head) + PACKED_DESC_FLAGS, headFlags);
        staging.clear();
        resetThrough();
        return id;
    }

    /** Submits the chain from the staging arrays: indirect chains, and whatever writeThrough() gave up on. */
    private int submitStaged(long cookie) throws VirtqueueException {
        Staging s = staging;
        int n = s.count();
        boolean indirect = useIndirect && n > 1 && n <= indirectEntries;
        int need = indirect ? 1 : n;
        if (n == 0 || need > size) {
            throw new IllegalStateException(n == 0 ? "nothing staged"
                    : "a chain of " + n + " buffers never fits a queue of size " + size);
        }
        if (freeSlots < need || freeIdCount == 0) {
            return -1;
        }
        int id = freeIds[--freeIdCount];
        int head = nextAvail;
        int headFlags;
        if (indirect) {
            headFlags = writeIndirect(s, id, head, n);
        } else {
            headFlags = 0;
            for (int i = 0; i < n; i++) {
                long o = descriptor(nextAvail);
                int f = (s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0) | availBits(availWrap);
                if (i == 0) {
                    // The head's flags are stored last, with release, below.
                    putLong(desc, o + DESC_ADDR, s.addr(i));
                    putInt(desc, o + DESC_LEN, s.len(i));
                    putShort(desc, o + PACKED_DESC_ID, id);
                    headFlags = f;
                } else {
                    putDescriptor(desc, o, s.addr(i), s.len(i), id, f);
                }
                advance(1);
            }
        }
        record(id, cookie, need);
        // Release pairs with the device's acquire load of the head flags in pop(): the whole chain
        // (written above) is visible before the head slot reads as available.
        putU16Release(desc, descriptor(head) + PACKED_DESC_FLAGS, headFlags);
        s.clear();
        resetThrough();
        return id;
    }

    /** The driver's own record of buffer {@code id}, taking {@code need} ring slots. */
    private void record(int id, long cookie, int need) {
        cookies[id] = cookie;
        slots[id] = need;
        inBytes[id] = staging.inBytes();
        outstandingCount++;
        freeSlots -= need;
        addedSlots += need;
        if (inOrder) {
            fifo[fifoTail++ % size] = id;
        }
    }

    /** Writes the chain into the id's indirect table and the head slot but its flags, which it returns. */
    private int writeIndirect(Staging s, int id, int head, int n) {
        long t = RingLayout.descriptorAreaSize(indirectEntries) * id;
        for (int i = 0; i < n; i++) {
            putDescriptor(pool, t + descriptor(i), s.addr(i), s.len(i), 0, s.writable(i) ? F_WRITE : 0);
        }
        long o = descriptor(head);
        putLong(desc, o + DESC_ADDR, poolGpa + t);
        putInt(desc, o + DESC_LEN, RingLayout.DESCRIPTOR_SIZE * n);
        putShort(desc, o + PACKED_DESC_ID, id);
        int headFlags = F_INDIRECT | availBits(availWrap);
        advance(1);
        return headFlags;
    }

    /** One 16-byte descriptor as two 8-byte stores: addr, then len | id << 32 | flags << 48. */
    private static void putDescriptor(MemorySegment table, long at, long addr, int len, int id, int flags) {
        putLong(table, at + DESC_ADDR, addr);
        putLong(table, at + DESC_LEN, (len & 0xffffffffL) | (long) id << 32 | (long) flags << 48);
    }

    private void advance(int by) {
        nextAvail += by;
        if (nextAvail >= size) {
            nextAvail -= size;
            availWrap = !availWrap;
        }
    }

    @Override
    public boolean kickNeeded() {
        if (addedSlots == 0 || failure != null) {
            return false;
        }
        // Store-load barrier: the head flags stores must be visible before we read the device's
        // event suppression area. Pairs with the device's full fence in enableNotifications().
        VarHandle.fullFence();
        int added = addedSlots;
        addedSlots = 0;
        int mode = getU16(deviceEvent, EVENT_FLAGS) & 3;
        if (mode == EVENT_DISABLE) {
            return false;
        }
        if (mode != EVENT_DESC || !eventIdx) {
            return true;
        }
        int offWrap = getU16(deviceEvent, EVENT_OFF_WRAP);
        return PackedDeviceQueue.descEventHit(offWrap, nextAvail, availWrap, added, size);
    }

    @Override
    public boolean pollUsed(Completion out) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        long o = descriptor(lastUsed);
        // Acquire pairs with the device's release store of the batch's first used flags in flushUsed().
        int flags = getU16Acquire(desc, o + PACKED_DESC_FLAGS);
        if (!isUsed(flags)) {
            return false;
        }
        int id = getU16(desc, o + PACKED_DESC_ID);
        int n = id < size ? slots[id] : 0;
        int len = n != 0 && (flags & F_WRITE) != 0 ? getInt(desc, o + DESC_LEN) : 0;
        if (n == 0 || inOrder && fifo[fifoHead % size] != id || Integer.toUnsignedLong(len) > inBytes[id]) {
            throw fail(badUsed(id, len, n));
        }
        if (inOrder) {
            fifoHead++;
        }
        out.set(cookies[id], id, len);
        slots[id] = 0;
        outstandingCount--;
        freeIds[freeIdCount++] = id;
        freeSlots += n;
        passUsed(n);
        return true;
    }

    /**
     * Moves past a used buffer's {@code n} slots and, with EVENT_IDX, asks for the next one. Out of
     * pollUsed() only to keep that under C2's hot-inlining limit (FreqInlineSize, 325 bytecodes).
     */
    private void passUsed(int n) {
        lastUsed += n;
        if (lastUsed >= size) {
            lastUsed -= size;
            usedWrap = !usedWrap;
        }
        if (eventIdx && callbacksEnabled) {
            // Plain store: the device reads it after its own full fence in needsNotification().
            putShort(driverEvent, EVENT_OFF_WRAP, offWrap(lastUsed, usedWrap));
        }
    }

    /** The error for a used descriptor that failed one of pollUsed()'s checks, tested in the same order. */
    private VirtqueueException badUsed(int id, int len, int n) {
        if (n == 0) {
            return new VirtqueueException(Reason.USED_ID_INVALID, "packed used descriptor at slot " + lastUsed
                    + " returns buffer id " + id + " which is not outstanding", id, -1, -1);
        }
        if (inOrder && fifo[fifoHead % size] != id) {
            return new VirtqueueException(Reason.USED_OUT_OF_ORDER, "packed buffer " + id + " returned before "
                    + fifo[fifoHead % size] + " although IN_ORDER was negotiated", id, -1, -1);
        }
        return new VirtqueueException(Reason.USED_LENGTH_TOO_LARGE, "packed buffer " + id + " reports "
                + Integer.toUnsignedString(len) + " bytes written into " + inBytes[id] + " writable bytes", id, -1,
                Integer.toUnsignedLong(len));
    }

    private boolean isUsed(int flags) {
        boolean avail = (flags & F_AVAIL) != 0;
        boolean used = (flags & F_USED) != 0;
        return avail == used && used == usedWrap;
    }

    @Override
    public void disableCallbacks() {
        callbacksEnabled = false;
        putShort(driverEvent, EVENT_FLAGS, EVENT_DISABLE);
    }

    @Override
    public boolean enableCallbacks() {
        callbacksEnabled = true;
        if (eventIdx) {
            putShort(driverEvent, EVENT_OFF_WRAP, offWrap(lastUsed, usedWrap));
            putShort(driverEvent, EVENT_FLAGS, EVENT_DESC);
        } else {
            putShort(driverEvent, EVENT_FLAGS, EVENT_ENABLE);
        }
        // Store-load barrier: re-enabling must be visible before we re-check the next used slot.
        // Pairs with the device's full fence in needsNotification().
        VarHandle.fullFence();
        return isUsed(getU16Acquire(desc, descriptor(lastUsed) + PACKED_DESC_FLAGS));
    }
}
