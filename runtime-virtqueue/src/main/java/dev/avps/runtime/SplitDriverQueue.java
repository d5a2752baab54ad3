package dev.avps.runtime;

import static dev.avps.runtime.Rings.F_INDIRECT;
import static dev.avps.runtime.Rings.F_NEXT;
import static dev.avps.runtime.Rings.F_WRITE;
import static dev.avps.runtime.RawMemory.getInt;
import static dev.avps.runtime.RawMemory.getU16;
import static dev.avps.runtime.RawMemory.getU16Acquire;
import static dev.avps.runtime.RawMemory.putLong;
import static dev.avps.runtime.RawMemory.putShort;
import static dev.avps.runtime.RawMemory.putU16Release;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.invoke.VarHandle;

/**
 * Driver end of a split virtqueue. Its free list and per-chain bookkeeping live in Java arrays,
 * never in guest memory, so a misbehaving device cannot corrupt them; everything read back from
 * the used ring is validated.
 */
final class SplitDriverQueue extends CacheLinePad implements DriverQueue {
    private final long features;
    private final int size;
    private final int mask;
    private final boolean eventIdx;
    private final boolean inOrder;
    private final boolean useIndirect;
    private final int indirectEntries;

    /** Keeps the region buffers reachable while their raw addresses are in use. */
    private final RawMemory.Regions regions;
    // Ring areas as Unsafe (base, address) pairs, validated once in the constructor; offsets into
    // them come from masked ring indexes and descriptor indexes this driver allocated itself.
    private final Object desc;
    private final long descAddr;
    private final Object avail;
    private final long availAddr;
    private final long usedEventAddr;
    private final Object used;
    private final long usedAddr;
    private final long availEventAddr;
    private final Object pool;
    private final long poolAddr;
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

    private final long[] cookies;
    private final int[] descCount;
    private final long[] inBytes;
    private final boolean[] outstanding;
    private int outstandingCount;
    private final int[] fifo;
    private int fifoHead;
    private int fifoTail;

    private final Staging staging;
    private VirtqueueException failure;

    SplitDriverQueue(GuestMemory memory, QueueConfig config, long features) throws VirtqueueException {
        int n = config.size();
        Rings.checkSize(n, true);
        this.features = features;
        this.size = n;
        this.mask = n - 1;
        this.eventIdx = VirtioFeatures.has(features, VirtioFeatures.EVENT_IDX);
        this.inOrder = VirtioFeatures.has(features, VirtioFeatures.IN_ORDER);
        this.useIndirect = VirtioFeatures.has(features, VirtioFeatures.INDIRECT_DESC) && config.indirectEntries() > 1;
        this.indirectEntries = useIndirect ? config.indirectEntries() : 0;
        Rings.Area d = Rings.map(memory, config.descriptorArea(), 16L * n, 16, "split descriptor table");
        Rings.Area a = Rings.map(memory, config.driverArea(), 6 + 2L * n, 2, "split avail ring");
        Rings.Area u = Rings.map(memory, config.deviceArea(), 6 + 8L * n, 4, "split used ring");
        regions = new RawMemory.Regions(memory);
        desc = d.base;
        descAddr = d.address;
        avail = a.base;
        availAddr = a.address;
        usedEventAddr = availAddr + 4 + 2L * n;
        used = u.base;
        usedAddr = u.address;
        availEventAddr = usedAddr + 4 + 8L * n;
        if (useIndirect) {
            Rings.Area p = Rings.map(memory, config.indirectPool(), 16L * n * indirectEntries, 16, "indirect pool");
            pool = p.base;
            poolAddr = p.address;
            poolGpa = config.indirectPool();
        } else {
            pool = null;
            poolAddr = 0;
            poolGpa = 0;
        }
        memory.fill(config.descriptorArea(), 16L * n, (byte) 0);
        memory.fill(config.driverArea(), 6 + 2L * n, (byte) 0);
        memory.fill(config.deviceArea(), 6 + 8L * n, (byte) 0);
        freeNext = new int[n];
        for (int i = 0; i < n; i++) {
            freeNext[i] = i + 1;
        }
        numFree = n;
        cookies = new long[n];
        descCount = new int[n];
        inBytes = new long[n];
        outstanding = new boolean[n];
        fifo = inOrder ? new int[n] : null;
        staging = new Staging(n);
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

    @Override
    public DriverQueue addOut(long gpa, int length) {
        staging.out(gpa, length);
        return this;
    }

    @Override
    public DriverQueue addIn(long gpa, int length) {
        staging.in(gpa, length);
        return this;
    }

    @Override
    public void clearStaged() {
        staging.clear();
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
        Staging s = staging;
        int n = s.count();
        if (n == 0) {
            throw new IllegalStateException("nothing staged");
        }
        boolean indirect = useIndirect && n > 1 && n <= indirectEntries;
        int need = indirect ? 1 : n;
        if (need > size) {
            throw new IllegalStateException("a chain of " + n + " buffers never fits a queue of size " + size);
        }
        if (numFree < need) {
            return -1;
        }
        int head;
        if (indirect) {
            head = allocate(1);
            long t = poolAddr + 16L * indirectEntries * head;
            for (int i = 0; i < n; i++) {
                int flags = (s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0);
                putDescriptor(pool, t + 16L * i, s.addr(i), s.len(i), flags, i + 1);
            }
            putDescriptor(desc, descAddr + 16L * head, poolGpa + 16L * indirectEntries * head, 16 * n, F_INDIRECT, 0);
        } else {
            head = allocate(n);
            int index = head;
            for (int i = 0; i < n; i++) {
                int next = inOrder ? (index + 1) & mask : freeNext[index];
                int flags = (s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0);
                putDescriptor(desc, descAddr + 16L * index, s.addr(i), s.len(i), flags, next);
                index = next;
            }
        }
        cookies[head] = cookie;
        descCount[head] = need;
        inBytes[head] = s.inBytes();
        outstanding[head] = true;
        outstandingCount++;
        if (inOrder) {
            fifo[fifoTail++ & mask] = head;
        }
        putShort(avail, availAddr + 4 + 2 * (availNext & mask), head);
        availNext = (availNext + 1) & 0xffff;
        // Release pairs with the device's acquire load of avail.idx in pop(): the descriptors and
        // the ring entry written above are visible before the index that announces them.
        putU16Release(avail, availAddr + 2, availNext);
        added++;
        s.clear();
        return head;
    }

    /** One 16-byte descriptor as two 8-byte stores: addr, then len | flags << 32 | next << 48. */
    private static void putDescriptor(Object base, long at, long addr, int len, int flags, int next) {
        putLong(base, at, addr);
        putLong(base, at + 8, (len & 0xffffffffL) | (long) flags << 32 | (long) next << 48);
    }

    private int allocate(int n) {
        numFree -= n;
        if (inOrder) {
            // IN_ORDER drivers hand out descriptors in ring order, wrapping at the end of the table.
            int head = allocNext;
            allocNext = (allocNext + n) & mask;
            return head;
        }
        int head = freeHead;
        int last = head;
        for (int i = 1; i < n; i++) {
            last = freeNext[last];
        }
        freeHead = freeNext[last];
        return head;
    }

    private void release(int head) {
        int n = descCount[head];
        numFree += n;
        if (inOrder) {
            return;
        }
        int last = head;
        for (int i = 1; i < n; i++) {
            last = freeNext[last];
        }
        freeNext[last] = freeHead;
        freeHead = head;
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
            int event = getU16(used, availEventAddr);
            return wrappedWindow || Rings.needEvent(event, now, old);
        }
        return (getU16(used, usedAddr) & SplitDeviceQueue.USED_F_NO_NOTIFY) == 0;
    }

    @Override
    public boolean pollUsed(Completion out) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        if (lastUsed == usedSeen) {
            // Acquire pairs with the device's release store of used.idx in flushUsed().
            int idx = getU16Acquire(used, usedAddr + 2);
            int pending = (idx - lastUsed) & 0xffff;
            if (pending > outstandingCount) {
                throw fail(new VirtqueueException(Reason.USED_INDEX_JUMP, "split used.idx moved from " + lastUsed
                        + " to " + idx + " but only " + outstandingCount + " buffers are outstanding", -1, -1, pending));
            }
            usedSeen = idx;
            if (pending == 0) {
                return false;
            }
        }
        long o = usedAddr + 4 + 8 * (lastUsed & mask);
        int id = getInt(used, o);
        int len = getInt(used, o + 4);
        if (id < 0 || id >= size || !outstanding[id]) {
            throw fail(new VirtqueueException(Reason.USED_ID_INVALID, "split used ring entry " + (lastUsed & mask)
                    + " returns id " + Integer.toUnsignedString(id) + " which is not outstanding", id, -1, -1));
        }
        if (inOrder && fifo[fifoHead & mask] != id) {
            throw fail(new VirtqueueException(Reason.USED_OUT_OF_ORDER, "split used id " + id + " returned before "
                    + fifo[fifoHead & mask] + " although IN_ORDER was negotiated", id, -1, -1));
        }
        if (Integer.toUnsignedLong(len) > inBytes[id]) {
            throw fail(new VirtqueueException(Reason.USED_LENGTH_TOO_LARGE, "split used id " + id + " reports "
                    + Integer.toUnsignedString(len) + " bytes written into " + inBytes[id] + " writable bytes", id, -1,
                    Integer.toUnsignedLong(len)));
        }
        if (inOrder) {
            fifoHead++;
        }
        out.set(cookies[id], id, len);
        outstanding[id] = false;
        outstandingCount--;
        release(id);
        lastUsed = (lastUsed + 1) & 0xffff;
        if (eventIdx && callbacksEnabled) {
            // Plain store: the device reads used_event after its own full fence in needsNotification().
            putShort(avail, usedEventAddr, lastUsed);
        }
        return true;
    }

    private VirtqueueException fail(VirtqueueException e) {
        failure = e;
        return e;
    }

    @Override
    public void disableCallbacks() {
        callbacksEnabled = false;
        if (eventIdx) {
            // Half the index space away: the device will not cross it before callbacks are re-enabled.
            putShort(avail, usedEventAddr, lastUsed + 0x8000);
        } else {
            putShort(avail, availAddr, SplitDeviceQueue.AVAIL_F_NO_INTERRUPT);
        }
    }

    @Override
    public boolean enableCallbacks() {
        callbacksEnabled = true;
        if (eventIdx) {
            putShort(avail, usedEventAddr, lastUsed);
        } else {
            putShort(avail, availAddr, 0);
        }
        // Store-load barrier: re-enabling must be visible before we re-read used.idx. Pairs with
        // the device's full fence in needsNotification().
        VarHandle.fullFence();
        return getU16Acquire(used, usedAddr + 2) != lastUsed;
    }
}
