package dev.avps.runtime;

import static dev.avps.runtime.Rings.F_INDIRECT;
import static dev.avps.runtime.Rings.F_NEXT;
import static dev.avps.runtime.RingLayout.RING_FLAGS;
import static dev.avps.runtime.RingLayout.RING_IDX;
import static dev.avps.runtime.RingLayout.USED_ELEMENT_ID;
import static dev.avps.runtime.RingLayout.USED_ELEMENT_LEN;
import static dev.avps.runtime.RingLayout.availElement;
import static dev.avps.runtime.RingLayout.descriptor;
import static dev.avps.runtime.RingLayout.usedElement;
import static dev.avps.runtime.SegmentAccess.getInt;
import static dev.avps.runtime.SegmentAccess.getLong;
import static dev.avps.runtime.SegmentAccess.getU16;
import static dev.avps.runtime.SegmentAccess.getU16Acquire;
import static dev.avps.runtime.SegmentAccess.putInt;
import static dev.avps.runtime.SegmentAccess.putShort;
import static dev.avps.runtime.SegmentAccess.putU16Release;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Device end of a split virtqueue. Reads the descriptor table and avail ring (driver-written),
 * writes the used ring. All index state is private to the single device thread; the only
 * cross-thread traffic is through guest memory, ordered as commented at each access.
 */
final class SplitDeviceQueue extends RingEnd implements DeviceQueue {
    /** used.flags bit: the device does not want available-buffer notifications. */
    static final int USED_F_NO_NOTIFY = 1;
    /** avail.flags bit: the driver does not want used-buffer notifications. */
    static final int AVAIL_F_NO_INTERRUPT = 1;

    private final int mask;

    // Ring areas as segment slices, validated once in the constructor; every offset below is a
    // masked ring index or a descriptor index checked against the table size.
    private final MemorySegment avail;
    /** Offset of used_event in the avail ring. */
    private final long usedEventAt;
    private final MemorySegment used;
    /** Offset of avail_event in the used ring. */
    private final long availEventAt;

    /** Next avail ring index to consume (mod 2^16). */
    private int lastAvail;
    /** Last avail.idx value read from the driver. */
    private int availSeen;
    /** Next used ring index to fill (mod 2^16). */
    private int usedNext;
    /** used.idx value last made visible. */
    private int usedPublished;
    /** used.idx at the previous notification decision. */
    private int usedSignalled;
    private boolean notificationsEnabled = true;
    private final int[] inOrderHeads;
    private int inOrderPopped;
    private int inOrderPushed;

    SplitDeviceQueue(GuestMemory memory, QueueConfig config, long features, int position)
            throws VirtqueueException {
        super(memory, config, features, false);
        int n = size;
        this.mask = n - 1;
        this.avail = Rings.map(memory, config.driverArea(), RingLayout.availRingSize(n), RingLayout.AVAIL_ALIGNMENT,
                "split avail ring");
        this.used = Rings.map(memory, config.deviceArea(), RingLayout.usedRingSize(n), RingLayout.USED_ALIGNMENT,
                "split used ring");
        this.usedEventAt = RingLayout.usedEvent(n);
        this.availEventAt = RingLayout.availEvent(n);
        this.inOrderHeads = inOrder ? new int[n] : null;
        if (position != 0) {
            // Resuming: the driver's next chain is at position; our used entries continue where
            // the ring says they stopped (the two differ by chains a previous backend never completed).
            lastAvail = position & 0xffff;
            availSeen = lastAvail;
            usedNext = getU16Acquire(used, RING_IDX);
            usedPublished = usedNext;
            usedSignalled = usedNext;
        }
    }

    @Override
    public int resumePosition() {
        return usedPublished;
    }

    @Override
    public boolean pop(DescriptorChain chain) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        if (chain.isInFlightOn(this)) {
            // Overwriting it would leak its buffer: the driver would never get it back.
            throw new IllegalStateException("chain " + chain.id() + " is still in flight; push it first");
        }
        int last = lastAvail;
        if (last == availSeen && !refreshAvail()) {
            return false;
        }
        if (inOrder && inOrderPopped - inOrderPushed == size) {
            throw fail(new VirtqueueException(Reason.AVAIL_INDEX_JUMP,
                    "split driver offered more than " + size + " buffers in flight"));
        }
        // Covered by the acquire in refreshAvail(); the slot index is masked into the ring.
        int head = getU16(avail, availElement(last & mask));
        if (head >= size) {
            throw fail(headOutOfRange(last & mask, head));
        }
        chain.begin(memory, this);
        if (!walkShort(chain, head)) {
            // Not a short direct chain, or one that fails a check: the general walk starts over
            // from the head, reading every descriptor again, and is the one that names the error.
            chain.begin(memory, this);
            walk(chain, head, desc, 0, size, false, 0, head, 0);
        }
        chain.complete(head, 1);
        last = (last + 1) & 0xffff;
        lastAvail = last;
        if (eventIdx && notificationsEnabled) {
            // Plain store: the driver reads avail_event only after its own full fence, and a stale
            // value merely costs one extra or one suppressed-then-rechecked kick.
            putShort(used, availEventAt, last);
        }
        if (inOrder) {
            inOrderHeads[inOrderPopped++ & mask] = head;
        }
        return true;
    }

    /** Reads avail.idx again; true if it announces new entries. */
    private boolean refreshAvail() throws VirtqueueException {
        // Acquire pairs with the driver's release store of avail.idx: the ring entries and
        // descriptors it wrote before that store are visible to the plain reads that follow.
        int idx = getU16Acquire(avail, RING_IDX);
        int pending = (idx - lastAvail) & 0xffff;
        if (pending > size) {
            throw fail(new VirtqueueException(Reason.AVAIL_INDEX_JUMP, "split avail.idx moved from " + lastAvail
                    + " to " + idx + ", " + pending + " entries for a queue of size " + size, -1, -1, pending));
        }
        availSeen = idx;
        return pending != 0;
    }

    private VirtqueueException headOutOfRange(int slot, int head) {
        return new VirtqueueException(Reason.HEAD_OUT_OF_RANGE, "split avail ring entry " + slot
                + " names head descriptor " + head + " but the table has " + size, head, -1, -1);
    }

    /**
     * The straight-line path for the usual request: up to {@link Rings#SHORT_CHAIN} direct
     * descriptors in the queue's own table. Makes every check {@link #walk} makes on such a chain,
     * in the same order (steps bounded by the table size, no INDIRECT, next in range, readable
     * before writable, buffers inside guest memory), but only reports whether they all passed:
     * false hands the chain to walk(), which throws if a check fails. Kept free of error
     * construction and recursion so that C2 inlines it into pop(), which walk() was too big for.
     */
    private boolean walkShort(DescriptorChain chain, int head) {
        int limit = Math.min(Rings.SHORT_CHAIN, size);
        int index = head;
        for (int k = 0; k < limit; k++) {
            // Each field is read exactly once, as in walk(): len, flags and next share one 8-byte load.
            long o = descriptor(index);
            long addr = getLong(desc, o + RingLayout.DESC_ADDR);
            long lenFlagsNext = getLong(desc, o + RingLayout.DESC_LEN);
            int flags = (int) (lenFlagsNext >>> 32) & 0xffff;
            if ((flags & F_INDIRECT) != 0 || !Rings.tryAddSegment(chain, memory, addr, (int) lenFlagsNext, flags)) {
                return false;
            }
            if ((flags & F_NEXT) == 0) {
                return true;
            }
            index = (int) (lenFlagsNext >>> 48);
            if (index >= size) {
                return false;
            }
        }
        return false;
    }

    /**
     * Follows a chain from {@code index} through one descriptor table (the queue's own, or an
     * indirect one when {@code inIndirect}), appending its buffers to {@code chain}. Every index
     * is checked against {@code tableSize} before it is used, and the walk gives up after
     * {@code tableSize} steps, so a hostile table can neither reach outside itself nor loop.
     *
     * @return the number of descriptors in the chain so far
     */
    private int walk(DescriptorChain chain, int head, MemorySegment table, long tableAt, int tableSize, boolean inIndirect,
            long indirectAddr, int index, int descriptors) throws VirtqueueException {
        for (int visits = 1;; visits++) {
            if (visits > tableSize) {
                throw fail(loop(head, inIndirect, indirectAddr, index, tableSize));
            }
            // Each field is read exactly once: a driver rewriting the table meanwhile cannot make a
            // value change between its check and its use. len, flags and next share one 8-byte load.
            long o = tableAt + descriptor(index);
            long addr = getLong(table, o + RingLayout.DESC_ADDR);
            long lenFlagsNext = getLong(table, o + RingLayout.DESC_LEN);
            int len = (int) lenFlagsNext;
            int flags = (int) (lenFlagsNext >>> 32) & 0xffff;
            if ((flags & F_INDIRECT) != 0) {
                return enterIndirect(chain, head, inIndirect, indirectAddr, index, addr, len, flags, descriptors);
            }
            if (++descriptors > size) {
                throw fail(tooLong(head, inIndirect, indirectAddr, index, addr, len));
            }
            try {
                Rings.addSegment(chain, memory, addr, len, flags, index, "split", inIndirect ? indirectAddr : -1);
            } catch (VirtqueueException e) {
                throw fail(e);
            }
            if ((flags & F_NEXT) == 0) {
                return descriptors;
            }
            int next = (int) (lenFlagsNext >>> 48);
            if (next >= tableSize) {
                throw fail(nextOutOfRange(inIndirect, indirectAddr, index, next, tableSize, addr, len));
            }
            index = next;
        }
    }

    // walk()'s errors, built out of line: with them inside, walk() was too large for C2 to inline
    // into pop() (-XX:+PrintInlining: "callee is too large"), which put a call on every pop.

    private VirtqueueException loop(int head, boolean inIndirect, long indirectAddr, int index, int tableSize) {
        return new VirtqueueException(Reason.DESCRIPTOR_LOOP, where(inIndirect, indirectAddr) + "chain from head " + head
                + " revisits a descriptor (reached descriptor " + index + " after " + tableSize + " steps in a table of "
                + tableSize + ")", index, -1, -1);
    }

    private VirtqueueException tooLong(int head, boolean inIndirect, long indirectAddr, int index, long addr, int len) {
        return new VirtqueueException(Reason.CHAIN_TOO_LONG, where(inIndirect, indirectAddr) + "chain from head " + head
                + " has more than " + size + " descriptors (the queue size)", index, addr, len & 0xffffffffL);
    }

    private static VirtqueueException nextOutOfRange(boolean inIndirect, long indirectAddr, int index, int next,
            int tableSize, long addr, int len) {
        return new VirtqueueException(Reason.NEXT_OUT_OF_RANGE, where(inIndirect, indirectAddr) + "descriptor " + index
                + " has next=" + next + " but the table has " + tableSize + " entries", index, addr, len & 0xffffffffL);
    }

    /** Validates an indirect descriptor and walks the table it names; it ends the chain. */
    private int enterIndirect(DescriptorChain chain, int head, boolean inIndirect, long indirectAddr, int index,
            long addr, int len, int flags, int descriptors) throws VirtqueueException {
        if (inIndirect) {
            throw fail(new VirtqueueException(Reason.INDIRECT_NESTED, at(inIndirect, indirectAddr, index)
                    + " is an indirect descriptor inside an indirect table", index, addr, len & 0xffffffffL));
        }
        if (!indirect) {
            throw fail(new VirtqueueException(Reason.INDIRECT_NOT_NEGOTIATED, at(inIndirect, indirectAddr, index)
                    + " is indirect but VIRTIO_F_INDIRECT_DESC was not negotiated", index, addr, len & 0xffffffffL));
        }
        if ((flags & F_NEXT) != 0) {
            throw fail(new VirtqueueException(Reason.INDIRECT_WITH_NEXT, at(inIndirect, indirectAddr, index)
                    + " sets both INDIRECT and NEXT", index, addr, len & 0xffffffffL));
        }
        long tableLength = len & 0xffffffffL;
        if (tableLength == 0 || (tableLength & 15) != 0) {
            throw fail(new VirtqueueException(Reason.INDIRECT_BAD_LENGTH, at(inIndirect, indirectAddr, index)
                    + " has indirect table length " + tableLength + ", not a non-zero multiple of 16", index, addr,
                    tableLength));
        }
        long t = memory.translate(addr, tableLength);
        if (t < 0) {
            throw fail(Rings.badAddress(t, at(inIndirect, indirectAddr, index) + " (indirect table)", addr, tableLength,
                    index));
        }
        // The whole table was just validated; walk() indexes it below its entry count only.
        return walk(chain, head, memory.segment(GuestMemory.regionIndex(t)), GuestMemory.regionOffset(t),
                (int) (tableLength / RingLayout.DESCRIPTOR_SIZE), true, addr, 0, descriptors);
    }

    private static String at(boolean inIndirect, long indirectAddr, int index) {
        return where(inIndirect, indirectAddr) + "descriptor " + index;
    }

    private static String where(boolean inIndirect, long indirectAddr) {
        return inIndirect ? "split indirect table 0x" + Long.toHexString(indirectAddr) + ": " : "split: ";
    }

    @Override
    public void addUsed(DescriptorChain chain, int writtenLength) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        Rings.checkInFlight(chain, this);
        if (inOrder && inOrderHeads[inOrderPushed & mask] != chain.id()) {
            throw new IllegalStateException("IN_ORDER: chain " + chain.id() + " completed before chain "
                    + inOrderHeads[inOrderPushed & mask]);
        }
        try {
            Rings.checkUsedLength(chain, writtenLength, "split");
        } catch (VirtqueueException e) {
            throw fail(e);
        }
        long o = usedElement(usedNext & mask);
        putInt(used, o + USED_ELEMENT_ID, chain.id());
        putInt(used, o + USED_ELEMENT_LEN, writtenLength);
        usedNext = (usedNext + 1) & 0xffff;
        if (inOrder) {
            inOrderPushed++;
        }
        chain.retire();
    }

    @Override
    public void flushUsed() {
        if (usedNext != usedPublished) {
            // Release pairs with the driver's acquire load of used.idx: the used elements and the
            // bytes the device wrote into the buffers are visible before the new index.
            putU16Release(used, RING_IDX, usedNext);
            usedPublished = usedNext;
        }
    }

    @Override
    public boolean needsNotification() {
        if (failure != null || usedPublished == usedSignalled) {
            return false;
        }
        // Store-load barrier: our used.idx store must be globally visible before we read
        // used_event/avail.flags. Pairs with the driver's full fence in enableCallbacks() between
        // writing used_event/flags and re-reading used.idx, so at least one side sees the other.
        VarHandle.fullFence();
        int old = usedSignalled;
        int now = usedPublished;
        usedSignalled = now;
        if (eventIdx) {
            int event = getU16(avail, usedEventAt);
            return Rings.needEvent(event, now, old);
        }
        return (getU16(avail, RING_FLAGS) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    @Override
    public void disableNotifications() {
        notificationsEnabled = false;
        if (eventIdx) {
            // With EVENT_IDX the driver ignores used.flags; park avail_event half the index space
            // ahead, which the driver cannot reach before the device re-enables (pop() stops
            // advancing it meanwhile).
            putShort(used, availEventAt, lastAvail + 0x8000);
        } else {
            putShort(used, RING_FLAGS, USED_F_NO_NOTIFY);
        }
    }

    @Override
    public boolean enableNotifications() {
        notificationsEnabled = true;
        if (eventIdx) {
            putShort(used, availEventAt, lastAvail);
        } else {
            putShort(used, RING_FLAGS, 0);
        }
        // Store-load barrier: the re-enable store must be visible before we re-read avail.idx.
        // Pairs with the driver's full fence in kickNeeded() between publishing avail.idx and
        // reading avail_event/used.flags: either it sees notifications on, or we see its buffer.
        VarHandle.fullFence();
        return getU16Acquire(avail, RING_IDX) != lastAvail;
    }
}
