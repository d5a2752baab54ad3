package dev.avps.runtime;

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
 * Device end of a packed virtqueue. Available and used descriptors share one ring; ownership of
 * each slot is told by its AVAIL/USED flag bits compared with the wrap counters kept here.
 */
final class PackedDeviceQueue extends RingEnd implements DeviceQueue {
    static final int F_AVAIL = 1 << 7;
    static final int F_USED = 1 << 15;
    /** Event suppression flags values. */
    static final int EVENT_ENABLE = 0;
    static final int EVENT_DISABLE = 1;
    static final int EVENT_DESC = 2;

    // Event suppression areas as segment slices, validated once in the constructor.
    /** Driver event suppression: written by the driver, governs used-buffer notifications. */
    private final MemorySegment driverEvent;
    /** Device event suppression: written here, governs available-buffer notifications. */
    private final MemorySegment deviceEvent;

    private int nextAvail;
    private boolean availWrap;
    private int nextUsed;
    private boolean usedWrap;
    private int inFlightSlots;
    private int slotsSinceSignal;
    /** Slot of the first used descriptor not yet published, or -1. */
    private int batchFirst = -1;
    private int batchFirstFlags;
    private int batchSlots;
    private boolean notificationsEnabled = true;
    private final int[] inOrderIds;
    private int inOrderPopped;
    private int inOrderPushed;

    PackedDeviceQueue(GuestMemory memory, QueueConfig config, long features, int position)
            throws VirtqueueException {
        super(memory, config, features, true);
        int n = size;
        driverEvent = Rings.map(memory, config.driverArea(), RingLayout.EVENT_SUPPRESSION_SIZE,
                RingLayout.EVENT_SUPPRESSION_ALIGNMENT, "packed driver event suppression");
        deviceEvent = Rings.map(memory, config.deviceArea(), RingLayout.EVENT_SUPPRESSION_SIZE,
                RingLayout.EVENT_SUPPRESSION_ALIGNMENT, "packed device event suppression");
        inOrderIds = inOrder ? new int[n] : null;
        // vhost's packed ring base: next avail slot | wrap << 15 low, next used slot | wrap << 15 high.
        nextAvail = position & 0x7fff;
        availWrap = (position & 0x8000) != 0;
        nextUsed = (position >>> 16) & 0x7fff;
        usedWrap = (position & 0x8000_0000) != 0;
        if (nextAvail >= n || nextUsed >= n) {
            throw new VirtqueueException(VirtqueueException.Reason.BAD_RING_LAYOUT, String.format(
                    "packed ring base 0x%08x names a slot past the queue size %d", position, n));
        }
        if (eventIdx) {
            // Start in event-index mode, like a split ring whose avail_event starts at 0.
            // Release: the event offset is in place before the mode that tells the driver to read it.
            putShort(deviceEvent, EVENT_OFF_WRAP, offWrap(nextAvail, availWrap));
            putU16Release(deviceEvent, EVENT_FLAGS, EVENT_DESC);
        }
    }

    @Override
    public int resumePosition() {
        int at = offWrap(nextUsed, usedWrap);
        return at | at << 16;
    }

    static boolean isAvailable(int flags, boolean wrap) {
        return ((flags & F_AVAIL) != 0) == wrap && ((flags & F_USED) != 0) != wrap;
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
        // Acquire pairs with the driver's release store of the head descriptor's flags in
        // submit(): the rest of the chain, written before it, is visible to the plain reads below.
        int headFlags = getU16Acquire(desc, descriptor(nextAvail) + PACKED_DESC_FLAGS);
        if (!isAvailable(headFlags, availWrap)) {
            return false;
        }
        chain.begin(memory, this);
        int slots = parseShort(chain, headFlags);
        if (slots == 0) {
            // Not a short direct chain, or one that fails a check: the general parse starts over
            // from the head, reading every slot again, and is the one that names the error.
            chain.begin(memory, this);
            slots = parse(chain, headFlags);
        }
        int pos = nextAvail + slots;
        if (pos >= size) {
            pos -= size;
            availWrap = !availWrap;
        }
        nextAvail = pos;
        inFlightSlots += slots;
        if (inOrder) {
            inOrderIds[inOrderPopped++ % size] = chain.id();
        }
        if (eventIdx && notificationsEnabled) {
            // Plain store: read by the driver only after its own full fence in kickNeeded().
            putShort(deviceEvent, EVENT_OFF_WRAP, offWrap(nextAvail, availWrap));
        }
        return true;
    }

    /**
     * The straight-line path for the usual request: up to {@link Rings#SHORT_CHAIN} direct
     * descriptors. Makes every check {@link #parse} makes on such a chain, in the same order (slots
     * within those not in flight, no INDIRECT, readable before writable, buffers inside guest
     * memory), but only reports whether they all passed: 0 hands the chain to parse(), which
     * throws if a check fails. Kept free of error construction so that C2 inlines it into pop(),
     * which the general parse made too big to inline anywhere.
     *
     * @return the ring slots the chain takes (its id recorded in {@code chain}), or 0
     */
    private int parseShort(DescriptorChain chain, int headFlags) {
        int room = Math.min(Rings.SHORT_CHAIN, size - inFlightSlots);
        int pos = nextAvail;
        // Read as in parse(): the head's len and id as the driver stores them, its flags from the
        // acquire in pop(); other slots' len, id and flags in one 8-byte load each.
        long o = descriptor(pos);
        long addr = getLong(desc, o + DESC_ADDR);
        int len = getInt(desc, o + DESC_LEN);
        int id = getU16(desc, o + PACKED_DESC_ID);
        int flags = headFlags;
        for (int slots = 1; slots <= room; slots++) {
            if ((flags & F_INDIRECT) != 0 || !Rings.tryAddSegment(chain, memory, addr, len, flags)) {
                return 0;
            }
            if ((flags & F_NEXT) == 0) {
                chain.complete(id, slots);
                return slots;
            }
            if (++pos == size) {
                pos = 0;
            }
            o = descriptor(pos);
            addr = getLong(desc, o + DESC_ADDR);
            long lenIdFlags = getLong(desc, o + DESC_LEN);
            len = (int) lenIdFlags;
            id = (int) (lenIdFlags >>> 32) & 0xffff;
            flags = (int) (lenIdFlags >>> 48);
        }
        return 0;
    }

    /**
     * Parses the chain whose head flags pop() read, of any length, direct or indirect, checking
     * every slot against the ring and guest memory.
     *
     * @return the ring slots the chain takes (its id recorded in {@code chain})
     */
    private int parse(DescriptorChain chain, int headFlags) throws VirtqueueException {
        int pos = nextAvail;
        int flags = headFlags;
        int slots = 0;
        int descriptors = 0;
        int id;
        for (;;) {
            if (++slots > size - inFlightSlots) {
                throw fail(tooManySlots(slots, pos));
            }
            // Each field is read exactly once, so a driver rewriting the slot cannot make a value
            // change between its check and its use. The head's flags are the ones read with
            // acquire above, and its len and id are read the way the driver stores them (apart
            // from the flags) so that the loads can forward from stores still in flight; other
            // slots' len, id and flags share one 8-byte load, covered by that acquire.
            long o = descriptor(pos);
            long addr = getLong(desc, o + DESC_ADDR);
            int len;
            if (slots == 1) {
                len = getInt(desc, o + DESC_LEN);
                id = getU16(desc, o + PACKED_DESC_ID);
            } else {
                long lenIdFlags = getLong(desc, o + DESC_LEN);
                len = (int) lenIdFlags;
                id = (int) (lenIdFlags >>> 32) & 0xffff;
                flags = (int) (lenIdFlags >>> 48);
            }
            if ((flags & F_INDIRECT) != 0) {
                descriptors = parseIndirect(chain, addr, len, flags, pos, descriptors);
                break;
            }
            if (++descriptors > size) {
                throw fail(tooLong(pos, addr, len));
            }
            try {
                Rings.addSegment(chain, memory, addr, len, flags, pos, "packed", -1);
            } catch (VirtqueueException e) {
                throw fail(e);
            }
            if ((flags & F_NEXT) == 0) {
                break;
            }
            if (++pos == size) {
                pos = 0;
            }
        }
        chain.complete(id, slots);
        return slots;
    }

    // pop()'s errors, built out of line so that pop() stays small enough for C2 to compile it
    // with its callees inlined (-XX:+PrintInlining).

    private VirtqueueException tooManySlots(int slots, int pos) {
        Reason r = slots > size ? Reason.CHAIN_TOO_LONG : Reason.AVAIL_INDEX_JUMP;
        return new VirtqueueException(r, "packed chain starting at slot " + nextAvail + " needs more than "
                + (size - inFlightSlots) + " slots (" + inFlightSlots + " of " + size + " already in flight)", pos, -1, -1);
    }

    private VirtqueueException tooLong(int pos, long addr, int len) {
        return new VirtqueueException(Reason.CHAIN_TOO_LONG, "packed chain at slot " + nextAvail + " has more than "
                + size + " descriptors", pos, addr, len & 0xffffffffL);
    }

    /** Validates an indirect descriptor at ring slot {@code pos} and parses the table it names; it ends the chain. */
    private int parseIndirect(DescriptorChain chain, long addr, int len, int flags, int pos, int descriptors)
            throws VirtqueueException {
        if (!indirect) {
            throw fail(new VirtqueueException(Reason.INDIRECT_NOT_NEGOTIATED,
                    "packed descriptor " + pos + " is indirect but VIRTIO_F_INDIRECT_DESC was not negotiated", pos, addr, len & 0xffffffffL));
        }
        if ((flags & F_NEXT) != 0) {
            throw fail(new VirtqueueException(Reason.INDIRECT_WITH_NEXT,
                    "packed descriptor " + pos + " sets both INDIRECT and NEXT", pos, addr, len & 0xffffffffL));
        }
        long tableLength = len & 0xffffffffL;
        if (tableLength == 0 || (tableLength & 15) != 0) {
            throw fail(new VirtqueueException(Reason.INDIRECT_BAD_LENGTH, "packed descriptor " + pos
                    + " has indirect table length " + tableLength + ", not a non-zero multiple of 16", pos, addr, tableLength));
        }
        long t = memory.translate(addr, tableLength);
        if (t < 0) {
            throw fail(Rings.badAddress(t, "packed descriptor " + pos + " (indirect table)", addr, tableLength, pos));
        }
        // The whole table was just validated; entries are indexed below its length only.
        MemorySegment table = memory.segment(GuestMemory.regionIndex(t));
        long base = GuestMemory.regionOffset(t);
        int entries = (int) (tableLength / RingLayout.DESCRIPTOR_SIZE);
        // Entries of a packed indirect table are consumed in order; there is no next field to follow.
        for (int i = 0; i < entries; i++) {
            long o = base + descriptor(i);
            long a = getLong(table, o + DESC_ADDR);
            long lenIdFlags = getLong(table, o + DESC_LEN);
            int l = (int) lenIdFlags;
            int f = (int) (lenIdFlags >>> 48);
            if ((f & F_INDIRECT) != 0) {
                throw fail(new VirtqueueException(Reason.INDIRECT_NESTED, "packed indirect table 0x" + Long.toHexString(addr)
                        + ": entry " + i + " is an indirect descriptor inside an indirect table", i, a, l & 0xffffffffL));
            }
            if (++descriptors > size) {
                throw fail(new VirtqueueException(Reason.CHAIN_TOO_LONG, "packed indirect table 0x" + Long.toHexString(addr)
                        + ": chain has more than " + size + " descriptors (the queue size)", i, a, l & 0xffffffffL));
            }
            try {
                Rings.addSegment(chain, memory, a, l, f, i, "packed", addr);
            } catch (VirtqueueException e) {
                throw fail(e);
            }
        }
        return descriptors;
    }

    static int offWrap(int offset, boolean wrap) {
        return offset | (wrap ? 1 << 15 : 0);
    }

    @Override
    public void addUsed(DescriptorChain chain, int writtenLength) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        Rings.checkInFlight(chain, this);
        if (inOrder && inOrderIds[inOrderPushed % size] != chain.id()) {
            throw new IllegalStateException("IN_ORDER: buffer " + chain.id() + " completed before buffer "
                    + inOrderIds[inOrderPushed % size]);
        }
        try {
            Rings.checkUsedLength(chain, writtenLength, "packed");
        } catch (VirtqueueException e) {
            throw fail(e);
        }
        long o = descriptor(nextUsed);
        int flags = (usedWrap ? F_AVAIL | F_USED : 0) | (writtenLength != 0 ? F_WRITE : 0);
        if (batchFirst < 0) {
            // The first slot of a batch is flipped last, in flushUsed(), so the driver (which
            // reclaims strictly in ring order) sees the whole batch at once.
            putInt(desc, o + DESC_LEN, writtenLength);
            putShort(desc, o + PACKED_DESC_ID, chain.id());
            batchFirst = nextUsed;
            batchFirstFlags = flags;
        } else {
            // Plain store of len, id and flags at once: ordered before the driver can look here by
            // the release in flushUsed().
            putLong(desc, o + DESC_LEN, (writtenLength & 0xffffffffL) | (long) chain.id() << 32 | (long) flags << 48);
        }
        int slots = chain.ringSlots();
        nextUsed += slots;
        if (nextUsed >= size) {
            nextUsed -= size;
            usedWrap = !usedWrap;
        }
        inFlightSlots -= slots;
        batchSlots += slots;
        if (inOrder) {
            inOrderPushed++;
        }
        chain.retire();
    }

    @Override
    public void flushUsed() {
        if (batchFirst >= 0) {
            // Release pairs with the driver's acquire load of these flags in pollUsed(): every used
            // descriptor of the batch and the bytes written into the buffers are visible before
            // the first slot of the batch reads as used.
            putU16Release(desc, descriptor(batchFirst) + PACKED_DESC_FLAGS, batchFirstFlags);
            batchFirst = -1;
            slotsSinceSignal += batchSlots;
            batchSlots = 0;
        }
    }

    @Override
    public boolean needsNotification() {
        if (failure != null || slotsSinceSignal == 0) {
            return false;
        }
        // Store-load barrier: the used flags stores must be visible before we read the driver's
        // event suppression area. Pairs with the driver's full fence in enableCallbacks().
        VarHandle.fullFence();
        int added = slotsSinceSignal;
        slotsSinceSignal = 0;
        int mode = getU16(driverEvent, EVENT_FLAGS) & 3;
        if (mode == EVENT_DISABLE) {
            return false;
        }
        if (mode != EVENT_DESC || !eventIdx) {
            return true;
        }
        int offWrap = getU16(driverEvent, EVENT_OFF_WRAP);
        return descEventHit(offWrap, nextUsed, usedWrap, added, size);
    }

    /**
     * The packed variant of the event-index rule. A (slot, wrap counter) pair names a position
     * modulo twice the ring size, so the window test runs in that space: notify iff the event
     * position lies among the {@code added} slots just published. A window of two full laps or
     * more is ambiguous and always notifies (a spurious notification is harmless, a lost one hangs).
     */
    static boolean descEventHit(int offWrap, int next, boolean wrap, int added, int size) {
        int span = 2 * size;
        if (added >= span) {
            return true;
        }
        int event = (offWrap & 0x7fff) + ((offWrap >>> 15) != 0 ? 0 : size);
        int now = next + (wrap ? 0 : size);
        return Math.floorMod(now - event - 1, span) < added;
    }

    @Override
    public void disableNotifications() {
        notificationsEnabled = false;
        putShort(deviceEvent, EVENT_FLAGS, EVENT_DISABLE);
    }

    @Override
    public boolean enableNotifications() {
        notificationsEnabled = true;
        if (eventIdx) {
            putShort(deviceEvent, EVENT_OFF_WRAP, offWrap(nextAvail, availWrap));
            putShort(deviceEvent, EVENT_FLAGS, EVENT_DESC);
        } else {
            putShort(deviceEvent, EVENT_FLAGS, EVENT_ENABLE);
        }
        // Store-load barrier: re-enabling must be visible before we re-check the next slot.
        // Pairs with the driver's full fence in kickNeeded().
        VarHandle.fullFence();
        int flags = getU16Acquire(desc, descriptor(nextAvail) + PACKED_DESC_FLAGS);
        return isAvailable(flags, availWrap);
    }
}
