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
import static dev.avps.runtime.Rings.U16;
import static dev.avps.runtime.Rings.U32;
import static dev.avps.runtime.Rings.U64;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Driver end of a packed virtqueue. Buffer ids and per-buffer bookkeeping are kept in Java arrays;
 * every used descriptor read back is validated against them.
 */
final class PackedDriverQueue extends CacheLinePad implements DriverQueue {
    private final long features;
    private final int size;
    private final boolean eventIdx;
    private final boolean inOrder;
    private final boolean useIndirect;
    private final int indirectEntries;

    private final ByteBuffer desc;
    private final int descBase;
    private final ByteBuffer driverEvent;
    private final int driverEventBase;
    private final ByteBuffer deviceEvent;
    private final int deviceEventBase;
    private final ByteBuffer pool;
    private final int poolBase;
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
    private final long[] cookies;
    private final int[] slots;
    private final long[] inBytes;
    private final boolean[] outstanding;
    private int outstandingCount;
    private final int[] fifo;
    private int fifoHead;
    private int fifoTail;

    private final Staging staging;
    private VirtqueueException failure;

    PackedDriverQueue(GuestMemory memory, QueueConfig config, long features) throws VirtqueueException {
        int n = config.size();
        Rings.checkSize(n, false);
        this.features = features;
        this.size = n;
        this.eventIdx = VirtioFeatures.has(features, VirtioFeatures.EVENT_IDX);
        this.inOrder = VirtioFeatures.has(features, VirtioFeatures.IN_ORDER);
        this.useIndirect = VirtioFeatures.has(features, VirtioFeatures.INDIRECT_DESC) && config.indirectEntries() > 1;
        this.indirectEntries = useIndirect ? config.indirectEntries() : 0;
        Rings.Area d = Rings.map(memory, config.descriptorArea(), 16L * n, 16, "packed descriptor ring");
        Rings.Area drv = Rings.map(memory, config.driverArea(), 4, 4, "packed driver event suppression");
        Rings.Area dev = Rings.map(memory, config.deviceArea(), 4, 4, "packed device event suppression");
        desc = d.buffer;
        descBase = d.base;
        driverEvent = drv.buffer;
        driverEventBase = drv.base;
        deviceEvent = dev.buffer;
        deviceEventBase = dev.base;
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
        memory.fill(config.driverArea(), 4, (byte) 0);
        memory.fill(config.deviceArea(), 4, (byte) 0);
        if (eventIdx) {
            // Start in event-index mode, like a split ring whose used_event starts at 0.
            U16.set(driverEvent, driverEventBase, (short) offWrap(0, true));
            U16.setRelease(driverEvent, driverEventBase + 2, (short) EVENT_DESC);
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

    private int availBits(boolean wrap) {
        return wrap ? F_AVAIL : F_USED;
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
        if (freeSlots < need || freeIdCount == 0) {
            return -1;
        }
        int id = freeIds[--freeIdCount];
        int head = nextAvail;
        int headFlags;
        if (indirect) {
            int t = poolBase + 16 * indirectEntries * id;
            for (int i = 0; i < n; i++) {
                int o = t + 16 * i;
                U64.set(pool, o, s.addr(i));
                U32.set(pool, o + 8, s.len(i));
                U16.set(pool, o + 12, (short) 0);
                U16.set(pool, o + 14, (short) (s.writable(i) ? F_WRITE : 0));
            }
            int o = descBase + 16 * head;
            U64.set(desc, o, poolGpa + 16L * indirectEntries * id);
            U32.set(desc, o + 8, 16 * n);
            U16.set(desc, o + 12, (short) id);
            headFlags = F_INDIRECT | availBits(availWrap);
            advance(1);
        } else {
            headFlags = 0;
            for (int i = 0; i < n; i++) {
                int o = descBase + 16 * nextAvail;
                U64.set(desc, o, s.addr(i));
                U32.set(desc, o + 8, s.len(i));
                U16.set(desc, o + 12, (short) id);
                int f = (s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0) | availBits(availWrap);
                if (i == 0) {
                    headFlags = f;
                } else {
                    U16.set(desc, o + 14, (short) f);
                }
                advance(1);
            }
        }
        cookies[id] = cookie;
        slots[id] = need;
        inBytes[id] = s.inBytes();
        outstanding[id] = true;
        outstandingCount++;
        freeSlots -= need;
        addedSlots += need;
        if (inOrder) {
            fifo[fifoTail++ % size] = id;
        }
        // Release pairs with the device's acquire load of the head flags in pop(): the whole chain
        // (written above) is visible before the head slot reads as available.
        U16.setRelease(desc, descBase + 16 * head + 14, (short) headFlags);
        s.clear();
        return id;
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
        int mode = (short) U16.get(deviceEvent, deviceEventBase + 2) & 3;
        if (mode == EVENT_DISABLE) {
            return false;
        }
        if (mode != EVENT_DESC || !eventIdx) {
            return true;
        }
        int offWrap = (short) U16.get(deviceEvent, deviceEventBase) & 0xffff;
        return PackedDeviceQueue.descEventHit(offWrap, nextAvail, availWrap, added, size);
    }

    @Override
    public boolean pollUsed(Completion out) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        int o = descBase + 16 * lastUsed;
        // Acquire pairs with the device's release store of the used flags in addUsed().
        int flags = (short) U16.getAcquire(desc, o + 14) & 0xffff;
        if (!isUsed(flags)) {
            return false;
        }
        int id = (short) U16.get(desc, o + 12) & 0xffff;
        if (id >= size || !outstanding[id]) {
            throw fail(new VirtqueueException(Reason.USED_ID_INVALID, "packed used descriptor at slot " + lastUsed
                    + " returns buffer id " + id + " which is not outstanding", id, -1, -1));
        }
        if (inOrder && fifo[fifoHead % size] != id) {
            throw fail(new VirtqueueException(Reason.USED_OUT_OF_ORDER, "packed buffer " + id + " returned before "
                    + fifo[fifoHead % size] + " although IN_ORDER was negotiated", id, -1, -1));
        }
        int len = (flags & F_WRITE) != 0 ? (int) U32.get(desc, o + 8) : 0;
        if (Integer.toUnsignedLong(len) > inBytes[id]) {
            throw fail(new VirtqueueException(Reason.USED_LENGTH_TOO_LARGE, "packed buffer " + id + " reports "
                    + Integer.toUnsignedString(len) + " bytes written into " + inBytes[id] + " writable bytes", id, -1,
                    Integer.toUnsignedLong(len)));
        }
        if (inOrder) {
            fifoHead++;
        }
        out.set(cookies[id], id, len);
        outstanding[id] = false;
        outstandingCount--;
        freeIds[freeIdCount++] = id;
        int n = slots[id];
        freeSlots += n;
        lastUsed += n;
        if (lastUsed >= size) {
            lastUsed -= size;
            usedWrap = !usedWrap;
        }
        if (eventIdx && callbacksEnabled) {
            // Plain store: the device reads it after its own full fence in needsNotification().
            U16.set(driverEvent, driverEventBase, (short) offWrap(lastUsed, usedWrap));
        }
        return true;
    }

    private boolean isUsed(int flags) {
        boolean avail = (flags & F_AVAIL) != 0;
        boolean used = (flags & F_USED) != 0;
        return avail == used && used == usedWrap;
    }

    private VirtqueueException fail(VirtqueueException e) {
        failure = e;
        return e;
    }

    @Override
    public void disableCallbacks() {
        callbacksEnabled = false;
        U16.set(driverEvent, driverEventBase + 2, (short) EVENT_DISABLE);
    }

    @Override
    public boolean enableCallbacks() {
        callbacksEnabled = true;
        if (eventIdx) {
            U16.set(driverEvent, driverEventBase, (short) offWrap(lastUsed, usedWrap));
            U16.set(driverEvent, driverEventBase + 2, (short) EVENT_DESC);
        } else {
            U16.set(driverEvent, driverEventBase + 2, (short) EVENT_ENABLE);
        }
        // Store-load barrier: re-enabling must be visible before we re-check the next used slot.
        // Pairs with the device's full fence in needsNotification().
        VarHandle.fullFence();
        return isUsed((short) U16.getAcquire(desc, descBase + 16 * lastUsed + 14) & 0xffff);
    }
}
