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
import static dev.avps.runtime.RawMemory.getInt;
import static dev.avps.runtime.RawMemory.getLong;
import static dev.avps.runtime.RawMemory.getU16;
import static dev.avps.runtime.RawMemory.getU16Acquire;
import static dev.avps.runtime.RawMemory.putInt;
import static dev.avps.runtime.RawMemory.putLong;
import static dev.avps.runtime.RawMemory.putShort;
import static dev.avps.runtime.RawMemory.putU16Release;

import dev.avps.runtime.VirtqueueException.Reason;
import dev.avps.runtime.memory.GuestMemory;
import java.lang.invoke.VarHandle;

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

    /** Keeps the region buffers reachable while their raw addresses are in use. */
    private final RawMemory.Regions regions;
    // Ring areas as Unsafe (base, address) pairs, validated once in the constructor; slot and pool
    // offsets come from ring positions below the size and from ids this driver allocated.
    private final Object desc;
    private final long descAddr;
    private final Object driverEvent;
    private final long driverEventAddr;
    private final Object deviceEvent;
    private final long deviceEventAddr;
    private final Object pool;
    private final long poolAddr;
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
        regions = new RawMemory.Regions(memory);
        desc = d.base;
        descAddr = d.address;
        driverEvent = drv.base;
        driverEventAddr = drv.address;
        deviceEvent = dev.base;
        deviceEventAddr = dev.address;
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
        memory.fill(config.driverArea(), 4, (byte) 0);
        memory.fill(config.deviceArea(), 4, (byte) 0);
        if (eventIdx) {
            // Start in event-index mode, like a split ring whose used_event starts at 0.
            // Release: the event offset is in place before the mode that tells the device to read it.
            putShort(driverEvent, driverEventAddr, offWrap(0, true));
            putU16Release(driverEvent, driverEventAddr + 2, EVENT_DESC);
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
                long o = descAddr + 16L * nextAvail;
                int f = (s.writable(i) ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0) | availBits(availWrap);
                if (i == 0) {
                    // The head's flags are stored last, with release, below.
                    putLong(desc, o, s.addr(i));
                    putInt(desc, o + 8, s.len(i));
                    putShort(desc, o + 12, id);
                    headFlags = f;
                } else {
                    putDescriptor(desc, o, s.addr(i), s.len(i), id, f);
                }
                advance(1);
            }
        }
        cookies[id] = cookie;
        slots[id] = need;
        inBytes[id] = s.inBytes();
        outstandingCount++;
        freeSlots -= need;
        addedSlots += need;
        if (inOrder) {
            fifo[fifoTail++ % size] = id;
        }
        // Release pairs with the device's acquire load of the head flags in pop(): the whole chain
        // (written above) is visible before the head slot reads as available.
        putU16Release(desc, descAddr + 16L * head + 14, headFlags);
        s.clear();
        return id;
    }

    /** Writes the chain into the id's indirect table and the head slot but its flags, which it returns. */
    private int writeIndirect(Staging s, int id, int head, int n) {
        long t = poolAddr + 16L * indirectEntries * id;
        for (int i = 0; i < n; i++) {
            putDescriptor(pool, t + 16L * i, s.addr(i), s.len(i), 0, s.writable(i) ? F_WRITE : 0);
        }
        long o = descAddr + 16L * head;
        putLong(desc, o, poolGpa + 16L * indirectEntries * id);
        putInt(desc, o + 8, 16 * n);
        putShort(desc, o + 12, id);
        int headFlags = F_INDIRECT | availBits(availWrap);
        advance(1);
        return headFlags;
    }

    /** One 16-byte descriptor as two 8-byte stores: addr, then len | id << 32 | flags << 48. */
    private static void putDescriptor(Object base, long at, long addr, int len, int id, int flags) {
        putLong(base, at, addr);
        putLong(base, at + 8, (len & 0xffffffffL) | (long) id << 32 | (long) flags << 48);
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
        int mode = getU16(deviceEvent, deviceEventAddr + 2) & 3;
        if (mode == EVENT_DISABLE) {
            return false;
        }
        if (mode != EVENT_DESC || !eventIdx) {
            return true;
        }
        int offWrap = getU16(deviceEvent, deviceEventAddr);
        return PackedDeviceQueue.descEventHit(offWrap, nextAvail, availWrap, added, size);
    }

    @Override
    public boolean pollUsed(Completion out) throws VirtqueueException {
        if (failure != null) {
            throw failure;
        }
        long o = descAddr + 16L * lastUsed;
        // Acquire pairs with the device's release store of the batch's first used flags in flushUsed().
        int flags = getU16Acquire(desc, o + 14);
        if (!isUsed(flags)) {
            return false;
        }
        int id = getU16(desc, o + 12);
        int n = id < size ? slots[id] : 0;
        int len = n != 0 && (flags & F_WRITE) != 0 ? getInt(desc, o + 8) : 0;
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
        lastUsed += n;
        if (lastUsed >= size) {
            lastUsed -= size;
            usedWrap = !usedWrap;
        }
        if (eventIdx && callbacksEnabled) {
            // Plain store: the device reads it after its own full fence in needsNotification().
            putShort(driverEvent, driverEventAddr, offWrap(lastUsed, usedWrap));
        }
        return true;
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

    private VirtqueueException fail(VirtqueueException e) {
        failure = e;
        return e;
    }

    @Override
    public void disableCallbacks() {
        callbacksEnabled = false;
        putShort(driverEvent, driverEventAddr + 2, EVENT_DISABLE);
    }

    @Override
    public boolean enableCallbacks() {
        callbacksEnabled = true;
        if (eventIdx) {
            putShort(driverEvent, driverEventAddr, offWrap(lastUsed, usedWrap));
            putShort(driverEvent, driverEventAddr + 2, EVENT_DESC);
        } else {
            putShort(driverEvent, driverEventAddr + 2, EVENT_ENABLE);
        }
        // Store-load barrier: re-enabling must be visible before we re-check the next used slot.
        // Pairs with the device's full fence in needsNotification().
        VarHandle.fullFence();
        return isUsed(getU16Acquire(desc, descAddr + 16 * lastUsed + 14));
    }
}
