package dev.avps.runtime;

import static dev.avps.runtime.Rings.F_INDIRECT;
import static dev.avps.runtime.Rings.F_NEXT;
import static dev.avps.runtime.Rings.U16;
import static dev.avps.runtime.Rings.U32;
import static dev.avps.runtime.Rings.U64;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Device end of a split virtqueue. Reads the descriptor table and avail ring (driver-written),
 * writes the used ring. All index state is private to the single device thread; the only
 * cross-thread traffic is through guest memory, ordered as commented at each access.
 */
final class SplitDeviceQueue extends CacheLinePad implements DeviceQueue {
    /** used.flags bit: the device does not want available-buffer notifications. */
    static final int USED_F_NO_NOTIFY = 1;
    /** avail.flags bit: the driver does not want used-buffer notifications. */
    static final int AVAIL_F_NO_INTERRUPT = 1;

    private final GuestMemory memory;
    private final long features;
    private final int size;
    private final int mask;
    private final boolean eventIdx;
    private final boolean indirect;
    private final boolean inOrder;

    private final ByteBuffer desc;
    private final int descBase;
    private final ByteBuffer avail;
    private final int availBase;
    private final int usedEventOffset;
    private final ByteBuffer used;
    private final int usedBase;
    private final int availEventOffset;

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
    private VirtqueueException failure;

    SplitDeviceQueue(GuestMemory memory, QueueConfig config, long features) throws VirtqueueException {
        int n = config.size();
        Rings.checkSize(n, true);
        this.memory = memory;
        this.features = features;
        this.size = n;
        this.mask = n - 1;
        this.eventIdx = VirtioFeatures.has(features, VirtioFeatures.EVENT_IDX);
        this.indirect = VirtioFeatures.has(features, VirtioFeatures.INDIRECT_DESC);
        this.inOrder = VirtioFeatures.has(features, VirtioFeatures.IN_ORDER);
        Rings.Area d = Rings.map(memory, config.descriptorArea(), 16L * n, 16, "split descriptor table");
        Rings.Area a = Rings.map(memory, config.driverArea(), 6 + 2L * n, 2, "split avail ring");
        Rings.Area u = Rings.map(memory, config.deviceArea(), 6 + 8L * n, 4, "split used ring");
        this.desc = d.buffer;
        this.descBase = d.base;
        this.avail = a.buffer;
        this.availBase = a.base;
        this.usedEventOffset = a.base + 4 + 2 * n;
        this.used = u.buffer;
        this.usedBase = u.base;
        this.availEventOffset = u.base + 4 + 8 * n;
        this.inOrderHeads = inOrder ? new int[n] : null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long features() {
        return features;
    }

    @Override
    public QueueState state() {
        return failure == null ? QueueState.READY : QueueState.NEEDS_RESET;
    }

    @Override
    public VirtqueueException failure() {
        return failure;
    }

    private VirtqueueException fail(VirtqueueException e) {
        failure = e;
        return e;
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
        if (lastAvail == availSeen) {
            // Acquire pairs with the driver's release store of avail.idx: the ring entries and
            // descriptors it wrote before that store are visible to the reads below.
            int idx = (short) U16.getAcquire(avail, availBase + 2) & 0xffff;
            int pending = (idx - lastAvail) & 0xffff;
            if (pending > size) {
                throw fail(new VirtqueueException(Reason.AVAIL_INDEX_JUMP, "split avail.idx moved from " + lastAvail
                        + " to " + idx + ", " + pending + " entries for a queue of size " + size, -1, -1, pending));
            }
            availSeen = idx;
            if (pending == 0) {
                return false;
            }
        }
        if (inOrder && inOrderPopped - inOrderPushed == size) {
            throw fail(new VirtqueueException(Reason.AVAIL_INDEX_JUMP,
                    "split driver offered more than " + size + " buffers in flight"));
        }
        int head = (short) U16.get(avail, availBase + 4 + 2 * (lastAvail & mask)) & 0xffff;
        if (head >= size) {
            throw fail(new VirtqueueException(Reason.HEAD_OUT_OF_RANGE, "split avail ring entry " + (lastAvail & mask)
                    + " names head descriptor " + head + " but the table has " + size, head, -1, -1));
        }
        parse(chain, head);
        lastAvail = (lastAvail + 1) & 0xffff;
        if (eventIdx && notificationsEnabled) {
            // Plain store: the driver reads avail_event only after its own full fence, and a stale
            // value merely costs one extra or one suppressed-then-rechecked kick.
            U16.set(used, availEventOffset, (short) lastAvail);
        }
        if (inOrder) {
            inOrderHeads[inOrderPopped++ & mask] = head;
        }
        return true;
    }

    private void parse(DescriptorChain chain, int head) throws VirtqueueException {
        chain.begin(memory, this);
        ByteBuffer table = desc;
        int tableBase = descBase;
        int tableSize = size;
        boolean inIndirect = false;
        long indirectAddr = 0;
        int index = head;
        int visits = 0;
        int descriptors = 0;
        for (;;) {
            if (++visits > tableSize) {
                throw fail(new VirtqueueException(Reason.DESCRIPTOR_LOOP, where(inIndirect, indirectAddr)
                        + "chain from head " + head + " revisits a descriptor (reached descriptor " + index + " after "
                        + tableSize + " steps in a table of " + tableSize + ")", index, -1, -1));
            }
            int o = tableBase + 16 * index;
            long addr = (long) U64.get(table, o);
            int len = (int) U32.get(table, o + 8);
            int flags = (short) U16.get(table, o + 12) & 0xffff;
            int next = (short) U16.get(table, o + 14) & 0xffff;
            if ((flags & F_INDIRECT) != 0) {
                String at = where(inIndirect, indirectAddr) + "descriptor " + index;
                if (inIndirect) {
                    throw fail(new VirtqueueException(Reason.INDIRECT_NESTED,
                            at + " is an indirect descriptor inside an indirect table", index, addr, len & 0xffffffffL));
                }
                if (!indirect) {
                    throw fail(new VirtqueueException(Reason.INDIRECT_NOT_NEGOTIATED,
                            at + " is indirect but VIRTIO_F_INDIRECT_DESC was not negotiated", index, addr, len & 0xffffffffL));
                }
                if ((flags & F_NEXT) != 0) {
                    throw fail(new VirtqueueException(Reason.INDIRECT_WITH_NEXT,
                            at + " sets both INDIRECT and NEXT", index, addr, len & 0xffffffffL));
                }
                long tableLength = len & 0xffffffffL;
                if (tableLength == 0 || (tableLength & 15) != 0) {
                    throw fail(new VirtqueueException(Reason.INDIRECT_BAD_LENGTH, at + " has indirect table length "
                            + tableLength + ", not a non-zero multiple of 16", index, addr, tableLength));
                }
                long t = memory.translate(addr, tableLength);
                if (t < 0) {
                    throw fail(Rings.badAddress(t, at + " (indirect table)", addr, tableLength, index));
                }
                table = memory.region(GuestMemory.regionIndex(t)).buffer();
                tableBase = GuestMemory.regionOffset(t);
                tableSize = (int) (tableLength >>> 4);
                inIndirect = true;
                indirectAddr = addr;
                index = 0;
                visits = 0;
                continue;
            }
            if (++descriptors > size) {
                throw fail(new VirtqueueException(Reason.CHAIN_TOO_LONG, where(inIndirect, indirectAddr)
                        + "chain from head " + head + " has more than " + size + " descriptors (the queue size)",
                        index, addr, len & 0xffffffffL));
            }
            try {
                Rings.addSegment(chain, memory, addr, len, flags, index,
                        inIndirect ? "split indirect table 0x" + Long.toHexString(indirectAddr) : "split");
            } catch (VirtqueueException e) {
                throw fail(e);
            }
            if ((flags & F_NEXT) == 0) {
                break;
            }
            if (next >= tableSize) {
                throw fail(new VirtqueueException(Reason.NEXT_OUT_OF_RANGE, where(inIndirect, indirectAddr) + "descriptor "
                        + index + " has next=" + next + " but the table has " + tableSize + " entries", index, addr,
                        len & 0xffffffffL));
            }
            index = next;
        }
        chain.complete(head, 1);
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
        int o = usedBase + 4 + 8 * (usedNext & mask);
        U32.set(used, o, chain.id());
        U32.set(used, o + 4, writtenLength);
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
            U16.setRelease(used, usedBase + 2, (short) usedNext);
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
            int event = (short) U16.get(avail, usedEventOffset) & 0xffff;
            return Rings.needEvent(event, now, old);
        }
        return ((short) U16.get(avail, availBase) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    @Override
    public void disableNotifications() {
        notificationsEnabled = false;
        if (eventIdx) {
            // With EVENT_IDX the driver ignores used.flags; park avail_event half the index space
            // ahead, which the driver cannot reach before the device re-enables (pop() stops
            // advancing it meanwhile).
            U16.set(used, availEventOffset, (short) (lastAvail + 0x8000));
        } else {
            U16.set(used, usedBase, (short) USED_F_NO_NOTIFY);
        }
    }

    @Override
    public boolean enableNotifications() {
        notificationsEnabled = true;
        if (eventIdx) {
            U16.set(used, availEventOffset, (short) lastAvail);
        } else {
            U16.set(used, usedBase, (short) 0);
        }
        // Store-load barrier: the re-enable store must be visible before we re-read avail.idx.
        // Pairs with the driver's full fence in kickNeeded() between publishing avail.idx and
        // reading avail_event/used.flags: either it sees notifications on, or we see its buffer.
        VarHandle.fullFence();
        return ((short) U16.getAcquire(avail, availBase + 2) & 0xffff) != lastAvail;
    }
}
