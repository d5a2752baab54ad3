package dev.avps.runtime;

import static dev.avps.runtime.Rings.F_INDIRECT;
import static dev.avps.runtime.Rings.F_NEXT;
import static dev.avps.runtime.Rings.F_WRITE;
import static dev.avps.runtime.RingLayout.DESC_ADDR;
import static dev.avps.runtime.RingLayout.DESC_LEN;
import static dev.avps.runtime.RingLayout.RING_FLAGS;
import static dev.avps.runtime.RingLayout.RING_IDX;
import static dev.avps.runtime.RingLayout.USED_ELEMENT_ID;
import static dev.avps.runtime.RingLayout.USED_ELEMENT_LEN;
import static dev.avps.runtime.RingLayout.availElement;
import static dev.avps.runtime.RingLayout.descriptor;
import static dev.avps.runtime.RingLayout.usedElement;
import static dev.avps.runtime.SegmentAccess.getInt;
import static dev.avps.runtime.SegmentAccess.getU16;
import static dev.avps.runtime.SegmentAccess.getU16Acquire;
import static dev.avps.runtime.SegmentAccess.putLong;
import static dev.avps.runtime.SegmentAccess.putShort;
import static dev.avps.runtime.SegmentAccess.putU16Release;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Driver end of a split virtqueue. Its free list and per-chain bookkeeping live in Java arrays,
 * never in guest memory, so a misbehaving device cannot corrupt them; everything read back from
 * the used ring is validated.
 */
final class SplitDriverQueue extends RingEnd implements DriverQueue {
    private final int mask;
    private final boolean useIndirect;
    private final int indirectEntries;

    // Ring areas as segment slices, validated once in the constructor; offsets into them come
    // from masked ring indexes and descriptor indexes this driver allocated itself.
    private final MemorySegment avail;
    /** Offset of used_event in the avail ring. */
    private final long usedEventAt;
    private final MemorySegment used;
    /** Offset of avail_event in the used ring. */
    private final long availEventAt;
    /** One indirect table of {@link #indirectEntries} per head, or null. */
    private final MemorySegment pool;
    private final long poolGpa;

    private int availNext;
    private int added;
    private int lastUsed;
    private int usedSeen;
    private boolean callbacksEnabled = true;

    private final int[] freeNext;
    private int freeHead;
    private int numFree;
    private int allocNext;

    // Per chain, indexed by head: the caller's cookie, the writable bytes (the bound for the used
    // length), and the descriptor count and tail (count | tail << 16; 0 while the head is free),
    // so reclaiming needs no walk and nothing read back from guest memory.
    private final long[] cookies;
    private final long[] inBytes;
    private final int[] chains;
    private int outstandingCount;
    private final int[] fifo;
    private int fifoHead;
    private int fifoTail;

    private final Staging staging;

    // Write-through staging: while a chain is staged in chain order on a queue without indirect
    // tables, each buffer also goes straight into the descriptor it will occupy (the next one on
    // the free list), so submit() only drops the last descriptor's NEXT and publishes. The staging
    // arrays still record every buffer, in Java memory: whenever the shortcut does not hold (a
    // readable buffer after a writable one, too few free descriptors, the free list changed by a
    // reclaim in between) submit() writes the chain from them as before. Free descriptors belong
    // to the driver, so writing them early is invisible to the device until avail.idx says so.
    /** Buffers of the staged chain already in the table, or -1 when this chain goes the staged way. */
    private int throughCount;
    /** Head the written-through chain starts at: the free-list front when its first buffer was staged. */
    private int throughHead;
    /** The written-through chain's last descriptor, and the free descriptor after it. */
    private int throughTail;
    private int throughNext;
    /** The last descriptor's len | flags << 32 | next << 48 word, written with NEXT set. */
    private long throughWord;
    private boolean throughWritable;

    SplitDriverQueue(GuestMemory memory, QueueConfig config, long features) throws VirtqueueException {
        super(memory, config, features, false);
        int n = size;
        this.mask = n - 1;
        this.useIndirect = indirect && config.indirectEntries() > 1;
        this.indirectEntries = useIndirect ? config.indirectEntries() : 0;
        avail = Rings.map(memory, config.driverArea(), RingLayout.availRingSize(n), RingLayout.AVAIL_ALIGNMENT,
                "split avail ring");
        used = Rings.map(memory, config.deviceArea(), RingLayout.usedRingSize(n), RingLayout.USED_ALIGNMENT,
                "split used ring");
        usedEventAt = RingLayout.usedEvent(n);
        availEventAt = RingLayout.availEvent(n);
        if (useIndirect) {
            pool = Rings.map(memory, config.indirectPool(), RingLayout.descriptorAreaSize(n) * indirectEntries,
                    RingLayout.DESCRIPTOR_ALIGNMENT, "indirect pool");
            poolGpa = config.indirectPool();
        } else {
            pool = null;
            poolGpa = 0;
        }
        desc.fill((byte) 0);
        avail.fill((byte) 0);
        used.fill((byte) 0);
        freeNext = new int[n];
        for (int i = 0; i < n; i++) {
            freeNext[i] = i + 1;
        }
        numFree = n;
        cookies = new long[n];
        inBytes = new long[n];
        chains = new int[n];
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
     * Writes the buffer just staged into the descriptor after the chain's previous one, with NEXT
     * set and the free descriptor after it as next (submit() clears NEXT on the last). Gives up
     * for this chain when the buffer would go out of chain order or no free descriptor is left.
     */
    private void writeThrough(long gpa, int length, boolean writable) {
        int k = throughCount;
        if (!writable && throughWritable || numFree <= k) {
            throughCount = -1;
            return;
        }
        int index;
        if (k == 0) {
            index = inOrder ? allocNext : freeHead;
            throughHead = index;
        } else {
            index = throughNext;
        }
        int next = inOrder ? (index + 1) & mask : freeNext[index];
        long word = (length & 0xffffffffL) | (long) (writable ? F_WRITE | F_NEXT : F_NEXT) << 32 | (long) next << 48;
        long o = descriptor(index);
        putLong(desc, o + DESC_ADDR, gpa);
        putLong(desc, o + DESC_LEN, word);
        throughTail = index;
        throughNext = next;
        throughWord = word;
        throughWritable |= writable;
        throughCount = k + 1;
    }

    /** Starts the next chain's write-through, on queues whose chains are never indirect. */
    private void resetThrough() {
        throughCount = useIndirect ? -1 : 0;
        throughWritable = false;
    }

    @Override
    public void clearStaged() {
        staging.clear();
        resetThrough();
    }

    @Override
    public int outstanding() {
        return outstandingCount;
    }

    @Override
    public int submit(long cookie) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        int n = throughCount;
        // A reclaim since the first buffer was staged put descriptors in front of the written ones.
        if (n <= 0 || throughHead != (inOrder ? allocNext : freeHead)) {
            return submitStaged(cookie);
        }
        // Every buffer is in the table already (writeThrough checked order and free descriptors,
        // and nothing since has taken a descriptor); the last one's NEXT goes, as submitStaged()
        // would have written it.
        int head = throughHead;
        int tail = throughTail;
        putLong(desc, descriptor(tail) + DESC_LEN, throughWord & ~((long) F_NEXT << 32));
        unlink(throughNext, n);
        cookies[head] = cookie;
        inBytes[head] = staging.inBytes();
        chains[head] = n | tail << 16;
        publish(head);
        staging.clear();
        resetThrough();
        return head;
    }

    /** Submits the chain from the staging arrays: indirect chains, and whatever writeThrough() gave up on. */
    private int submitStaged(long cookie) throws VirtqueueException {
        Staging s = staging;
        int n = s.count();
        boolean indirect = useIndirect && n > 1 && n <= indirectEntries;
        int need = indirect ? 1 : n;
        if (n == 0 || need > size) {
            throw unfit(n);
        }
        if (numFree < need) {
            return -1;
        }
        int head = inOrder ? allocNext : freeHead;
        int tail;
        if (indirect) {
            tail = head;
            writeIndirect(s, head, n);
        } else {
            // Takes descriptors off the free list (IN_ORDER: in ring order) while writing them.
            int index = head;
            int next;
            int i = 0;
            for (;;) {
                next = inOrder ? (index + 1) & mask : freeNext[index];
                if (i + 1 == n) {
                    break;
                }
                putDescriptor(desc, descriptor(index), s.addr(i), s.len(i), s.writable(i) ? F_WRITE | F_NEXT : F_NEXT,
                        next);
                index = next;
                i++;
            }
            putDescriptor(desc, descriptor(index), s.addr(i), s.len(i), s.writable(i) ? F_WRITE : 0, next);
            tail = index;
            unlink(next, n);
        }
        cookies[head] = cookie;
        inBytes[head] = s.inBytes();
        chains[head] = need | tail << 16;
        publish(head);
        s.clear();
        resetThrough();
        return head;
    }

    /** Puts the chain at {@code head}, already in the table, into the avail ring and announces it. */
    private void publish(int head) {
        outstandingCount++;
        if (inOrder) {
            fifo[fifoTail++ & mask] = head;
        }
        int idx = availNext;
        putShort(avail, availElement(idx & mask), head);
        idx = (idx + 1) & 0xffff;
        availNext = idx;
        // Release pairs with the device's acquire load of avail.idx in pop(): the descriptors and
        // the ring entry written above are visible before the index that announces them.
        putU16Release(avail, RING_IDX, idx);
        added++;
    }

    /** Writes the chain into the head's table in the indirect pool and points the head at it. */
    private void writeIndirect(Staging s, int head, int n) {
        long t = RingLayout.descriptorAreaSize(indirectEntries) * head;
        for (int i = 0; i < n; i++) {
            int flags = (s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0);
            putDescriptor(pool, t + descriptor(i), s.addr(i), s.len(i), flags, i + 1);
        }
        putDescriptor(desc, descriptor(head), poolGpa + t, RingLayout.DESCRIPTOR_SIZE * n, F_INDIRECT, 0);
        unlink(inOrder ? (head + 1) & mask : freeNext[head], 1);
    }

    private IllegalStateException unfit(int n) {
        return new IllegalStateException(n == 0 ? "nothing staged"
                : "a chain of " + n + " buffers never fits a queue of size " + size);
    }

    /** One 16-byte descriptor as two 8-byte stores: addr, then len | flags << 32 | next << 48. */
    private static void putDescriptor(MemorySegment table, long at, long addr, int len, int flags, int next) {
        putLong(table, at + DESC_ADDR, addr);
        putLong(table, at + DESC_LEN, (len & 0xffffffffL) | (long) flags << 32 | (long) next << 48);
    }

    /** Takes the {@code n} descriptors before {@code next} off the front of the free pool. */
    private void unlink(int next, int n) {
        numFree -= n;
        if (inOrder) {
            allocNext = next;
        } else {
            freeHead = next;
        }
    }

    private void release(int chain, int head) {
        numFree += chain & 0xffff;
        if (!inOrder) {
            freeNext[chain >>> 16] = freeHead;
            freeHead = head;
        }
    }

    @Override
    public boolean kickNeeded() {
        if (added == 0 || failure != null) {
            return false;
        }
        // Store-load barrier: our avail.idx store must be visible before we read avail_event or
        // used.flags. Pairs with the device's full fence in enableNotifications().
        VarHandle.fullFence();
        int now = availNext;
        int old = (now - added) & 0xffff;
        boolean wrappedWindow = added >= 0xffff;
        added = 0;
        if (eventIdx) {
            int event = getU16(used, availEventAt);
            return wrappedWindow || Rings.needEvent(event, now, old);
        }
        return (getU16(used, RING_FLAGS) & SplitDeviceQueue.USED_F_NO_NOTIFY) == 0;
    }

    @Override
    public boolean pollUsed(Completion out) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        int last = lastUsed;
        if (last == usedSeen && !refreshUsed()) {
            return false;
        }
        // Covered by the acquire in refreshUsed(); the slot index is masked into the ring.
        long o = usedElement(last & mask);
        int id = getInt(used, o + USED_ELEMENT_ID);
        int len = getInt(used, o + USED_ELEMENT_LEN);
        int chain = Integer.compareUnsigned(id, size) < 0 ? chains[id] : 0;
        if (chain == 0 || inOrder && fifo[fifoHead & mask] != id || Integer.toUnsignedLong(len) > inBytes[id]) {
            throw fail(badUsed(last & mask, id, len, chain));
        }
        if (inOrder) {
            fifoHead++;
        }
        out.set(cookies[id], id, len);
        chains[id] = 0;
        outstandingCount--;
        release(chain, id);
        last = (last + 1) & 0xffff;
        lastUsed = last;
        if (eventIdx && callbacksEnabled) {
            // Plain store: the device reads used_event after its own full fence in needsNotification().
            putShort(avail, usedEventAt, last);
        }
        return true;
    }

    /** The error for a used element that failed one of pollUsed()'s checks, tested in the same order. */
    private VirtqueueException badUsed(int slot, int id, int len, int chain) {
        if (chain == 0) {
            return new VirtqueueException(Reason.USED_ID_INVALID, "split used ring entry " + slot
                    + " returns id " + Integer.toUnsignedString(id) + " which is not outstanding", id, -1, -1);
        }
        if (inOrder && fifo[fifoHead & mask] != id) {
            return new VirtqueueException(Reason.USED_OUT_OF_ORDER, "split used id " + id + " returned before "
                    + fifo[fifoHead & mask] + " although IN_ORDER was negotiated", id, -1, -1);
        }
        return new VirtqueueException(Reason.USED_LENGTH_TOO_LARGE, "split used id " + id + " reports "
                + Integer.toUnsignedString(len) + " bytes written into " + inBytes[id] + " writable bytes", id, -1,
                Integer.toUnsignedLong(len));
    }

    /** Reads used.idx again; true if it announces new entries. */
    private boolean refreshUsed() throws VirtqueueException {
        // Acquire pairs with the device's release store of used.idx in flushUsed(): the used
        // elements written before it are visible to the plain reads that follow.
        int idx = getU16Acquire(used, RING_IDX);
        int pending = (idx - lastUsed) & 0xffff;
        if (pending > outstandingCount) {
            throw fail(new VirtqueueException(Reason.USED_INDEX_JUMP, "split used.idx moved from " + lastUsed
                    + " to " + idx + " but only " + outstandingCount + " buffers are outstanding", -1, -1, pending));
        }
        usedSeen = idx;
        return pending != 0;
    }

    @Override
    public void disableCallbacks() {
        callbacksEnabled = false;
        if (eventIdx) {
            // Half the index space away: the device will not cross it before callbacks are re-enabled.
            putShort(avail, usedEventAt, lastUsed + 0x8000);
        } else {
            putShort(avail, RING_FLAGS, SplitDeviceQueue.AVAIL_F_NO_INTERRUPT);
        }
    }

    @Override
    public boolean enableCallbacks() {
        callbacksEnabled = true;
        if (eventIdx) {
            putShort(avail, usedEventAt, lastUsed);
        } else {
            putShort(avail, RING_FLAGS, 0);
        }
        // Store-load barrier: re-enabling must be visible before we re-read used.idx. Pairs with
        // the device's full fence in needsNotification().
        VarHandle.fullFence();
        return getU16Acquire(used, RING_IDX) != lastUsed;
    }
}
