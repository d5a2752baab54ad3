package dev.avps.runtime;

import static dev.avps.runtime.Rings.F_INDIRECT;
import static dev.avps.runtime.Rings.F_NEXT;
import static dev.avps.runtime.Rings.F_WRITE;
import static dev.avps.runtime.Rings.U16;
import static dev.avps.runtime.Rings.U32;
import static dev.avps.runtime.Rings.U64;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

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

    private final ByteBuffer desc;
    private final int descBase;
    private final ByteBuffer avail;
    private final int availBase;
    private final int usedEventOffset;
    private final ByteBuffer used;
    private final int usedBase;
    private final int availEventOffset;
    private final ByteBuffer pool;
    private final int poolBase;
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
        desc = d.buffer;
        descBase = d.base;
        avail = a.buffer;
        availBase = a.base;
        usedEventOffset = a.base + 4 + 2 * n;
        used = u.buffer;
        usedBase = u.base;
        availEventOffset = u.base + 4 + 8 * n;
        if (useIndirect) {
            Rings.Area p = Rings.map(memory, config.indirectPool(), 16L * n * indirectEntries, 16, "indirect pool");
            pool = p.buffer;
            poolBase = p.base;
            poolGpa = config.indirectPool();
        } else {
            pool = null;
            poolBase = 0;
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
            int t = poolBase + 16 * indirectEntries * head;
            for (int i = 0; i < n; i++) {
                int o = t + 16 * i;
                U64.set(pool, o, s.addr(i));
                U32.set(pool, o + 8, s.len(i));
                U16.set(pool, o + 12, (short) ((s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0)));
                U16.set(pool, o + 14, (short) (i + 1));
            }
            int o = descBase + 16 * head;
            U64.set(desc, o, poolGpa + 16L * indirectEntries * head);
            U32.set(desc, o + 8, 16 * n);
            U16.set(desc, o + 12, (short) F_INDIRECT);
            U16.set(desc, o + 14, (short) 0);
        } else {
            head = allocate(n);
            int index = head;
            for (int i = 0; i < n; i++) {
                int next = inOrder ? (index + 1) & mask : freeNext[index];
                int o = descBase + 16 * index;
                U64.set(desc, o, s.addr(i));
                U32.set(desc, o + 8, s.len(i));
                U16.set(desc, o + 12, (short) ((s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0)));
                U16.set(desc, o + 14, (short) next);
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
        U16.set(avail, availBase + 4 + 2 * (availNext & mask), (short) head);
        availNext = (availNext + 1) & 0xffff;
        // Release pairs with the device's acquire load of avail.idx in pop(): the descriptors and
        // the ring entry written above are visible before the index that announces them.
        U16.setRelease(avail, availBase + 2, (short) availNext);
        added++;
        s.clear();
        return head;
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
            int event = (short) U16.get(used, availEventOffset) & 0xffff;
            return wrappedWindow || Rings.needEvent(event, now, old);
        }
        return ((short) U16.get(used, usedBase) & SplitDeviceQueue.USED_F_NO_NOTIFY) == 0;
    }

    @Override
    public boolean pollUsed(Completion out) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        if (lastUsed == usedSeen) {
            // Acquire pairs with the device's release store of used.idx in flushUsed().
            int idx = (short) U16.getAcquire(used, usedBase + 2) & 0xffff;
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
        int o = usedBase + 4 + 8 * (lastUsed & mask);
        int id = (int) U32.get(used, o);
        int len = (int) U32.get(used, o + 4);
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
            U16.set(avail, usedEventOffset, (short) lastUsed);
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
            U16.set(avail, usedEventOffset, (short) (lastUsed + 0x8000));
        } else {
            U16.set(avail, availBase, (short) SplitDeviceQueue.AVAIL_F_NO_INTERRUPT);
        }
    }

    @Override
    public boolean enableCallbacks() {
        callbacksEnabled = true;
        if (eventIdx) {
            U16.set(avail, usedEventOffset, (short) lastUsed);
        } else {
            U16.set(avail, availBase, (short) 0);
        }
        // Store-load barrier: re-enabling must be visible before we re-read used.idx. Pairs with
        // the device's full fence in needsNotification().
        VarHandle.fullFence();
        return ((short) U16.getAcquire(used, usedBase + 2) & 0xffff) != lastUsed;
    }
}
