package dev.avps.runtime.bench;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.VirtioFeatures;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.memory.MemoryRegion;
import dev.avps.runtime.transport.LoopbackTransport;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Floors under {@link RoundTripBenchmark}'s split-ring round trip, run in the same JMH run as
 * its comparators: how fast the same exchange can be with none of the runtime's structure.
 * <ul>
 * <li>{@code bareSplitRing}: the protocol's memory traffic alone (two descriptors, an avail entry
 * and index, a used element and index, the two full fences of the notification decisions), with
 * no checks at all. Not a usable ring: it trusts both ends completely.
 * <li>{@code checkedSplitRing}: the same plus every check the runtime makes on this path.
 * <li>{@code runtimeDriverHandDevice} / {@code handDriverRuntimeDevice}: one end from the runtime,
 * the other hand-written, to show which end carries the cost above the checked floor.
 * </ul>
 * Same batch sizes and queue size as the round trip; split ring, no EVENT_IDX, off-heap memory.
 * Both floors go through the same {@code java.lang.foreign} segment the runtime uses (bounds- and
 * liveness-checked by the JDK, little-endian layouts), since the JDK is removing raw-pointer memory
 * access: they measure what the supported API allows. Until this module moved to Java 25 they used
 * raw pointers; BENCHMARKS.md says how that changed the floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingFloorBenchmark {
    static final int QUEUE_SIZE = RoundTripBenchmark.QUEUE_SIZE;

    @State(Scope.Thread)
    public static class Floor {
        @Param({"1", "16", "64"})
        public int batch;

        DriverQueue driver;
        DeviceQueue device;
        DescriptorChain chain;
        final Completion done = new Completion();
        long request;
        long response;
        HandRing hand;

        @Setup(Level.Trial)
        public void setUp() throws VirtqueueException {
            LoopbackTransport t = LoopbackTransport.create(VirtioFeatures.VERSION_1, QUEUE_SIZE, 0, 1 << 16, true);
            driver = t.driver();
            device = t.device();
            chain = device.newChain();
            request = t.dataBase();
            response = request + 4096;
            hand = new HandRing(t);
        }
    }

    @Benchmark
    public long bareSplitRing(Floor f) {
        HandRing s = f.hand;
        MemorySegment m = s.mem;
        int mask = QUEUE_SIZE - 1;
        int n = f.batch;
        // Driver: two descriptors per request off the free list, one avail entry each.
        for (int i = 0; i < n; i++) {
            int head = s.freeHead;
            int tail = s.next[head];
            s.freeHead = s.next[tail];
            m.set(U64, s.desc + 16L * head, f.request + 16L * i);
            m.set(U64, s.desc + 16L * head + 8, 16 | (1L << 32) | ((long) tail << 48));
            m.set(U64, s.desc + 16L * tail, f.response + 16L * i);
            m.set(U64, s.desc + 16L * tail + 8, 16 | (2L << 32));
            m.set(U16, s.avail + 4 + 2 * (s.availIdx & mask), (short) head);
            s.tokens[head] = i;
            s.availIdx++;
        }
        VOLATILE_U16.setVolatile(m, s.avail + 2, (short) s.availIdx);
        VarHandle.fullFence();
        boolean kick = (m.get(U16, s.used) & 1) == 0;
        // Device: read every chain, one used element each.
        int idx = (short) VOLATILE_U16.getVolatile(m, s.avail + 2) & 0xffff;
        while (s.lastAvail != idx) {
            int head = m.get(U16, s.avail + 4 + 2 * (s.lastAvail & mask)) & 0xffff;
            int k = 0;
            int d = head;
            int total = 0;
            while (true) {
                long lfn = m.get(U64, s.desc + 16L * d + 8);
                s.segAddr[k] = m.get(U64, s.desc + 16L * d);
                s.segLen[k++] = (int) lfn;
                total += (int) lfn;
                if ((lfn & (1L << 32)) == 0) {
                    break;
                }
                d = (int) (lfn >>> 48);
            }
            long e = s.used + 4 + 8 * (s.usedIdx & mask);
            m.set(U64, e, head | ((long) (total - 16) << 32));
            s.usedIdx = (s.usedIdx + 1) & 0xffff;
            s.lastAvail = (s.lastAvail + 1) & 0xffff;
        }
        VOLATILE_U16.setVolatile(m, s.used + 2, (short) s.usedIdx);
        VarHandle.fullFence();
        boolean irq = (m.get(U16, s.avail) & 1) == 0;
        // Driver: reclaim, descriptors back on the free list.
        long sum = kick && irq ? 0 : 1;
        int usedNow = (short) VOLATILE_U16.getVolatile(m, s.used + 2) & 0xffff;
        while ((s.lastUsed & 0xffff) != usedNow) {
            long e = m.get(U64, s.used + 4 + 8 * (s.lastUsed & mask));
            int id = (int) e;
            int tail = s.next[id];
            s.next[tail] = (short) s.freeHead;
            s.freeHead = id;
            sum += s.tokens[id] + (e >>> 32);
            s.lastUsed++;
        }
        return sum;
    }

    @Benchmark
    public long checkedSplitRing(Floor f) {
        HandRing h = f.hand;
        boolean kick = h.submit(f.batch, f.request, f.response);
        boolean irq = h.device();
        return h.reclaim() + (kick && irq ? 0 : 1);
    }

    @Benchmark
    public long runtimeDriverHandDevice(Floor f) throws VirtqueueException {
        DriverQueue drv = f.driver;
        int n = f.batch;
        for (int i = 0; i < n; i++) {
            drv.addOut(f.request + 16L * i, 16).addIn(f.response + 16L * i, 16).submit(i);
        }
        boolean kick = drv.kickNeeded();
        boolean irq = f.hand.device();
        long sum = kick && irq ? 0 : 1;
        while (drv.pollUsed(f.done)) {
            sum += f.done.cookie();
        }
        return sum;
    }

    @Benchmark
    public long handDriverRuntimeDevice(Floor f) throws VirtqueueException {
        DeviceQueue dev = f.device;
        boolean kick = f.hand.submit(f.batch, f.request, f.response);
        DescriptorChain c = f.chain;
        while (dev.pop(c)) {
            dev.addUsed(c, 16);
        }
        dev.flushUsed();
        boolean irq = dev.needsNotification();
        return f.hand.reclaim() + (kick && irq ? 0 : 1);
    }

    /**
     * A split ring's driver and device ends written out by hand, with every check the runtime's
     * split queues make on this path (free descriptors, avail index jump, head and next in range,
     * chain length, guest-memory bounds, readable after writable, used length within the writable
     * bytes, used id outstanding) and nothing else: no objects, no interface, no per-segment
     * records beyond two arrays. Runs on a loopback transport's ring, so either end can face the
     * runtime's other end.
     */
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Volatile index stores and loads, as the raw-pointer floor had (aligned: the ring areas are). */
    static final VarHandle VOLATILE_U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    static final class HandRing {
        /** The whole guest: ring areas and buffers are offsets into it. */
        final MemorySegment mem;
        final long desc;
        final long avail;
        final long used;
        final long guestBase;
        final long guestSize;
        final int size;
        final short[] next;
        final long[] tokens;
        final long[] inBytes;
        final int[] chainLen;
        int numFree;
        int freeHead;
        int availIdx;
        int lastAvail;
        int usedIdx;
        int lastUsed;
        /** Sized like the runtime's bound: the chain-length check fires before an array would overflow. */
        final long[] segAddr;
        final int[] segLen;

        HandRing(LoopbackTransport t) {
            MemoryRegion r = t.memory().region(0);
            mem = r.segment();
            guestBase = r.guestBase();
            guestSize = r.size();
            desc = t.config().descriptorArea() - guestBase;
            avail = t.config().driverArea() - guestBase;
            used = t.config().deviceArea() - guestBase;
            size = t.config().size();
            next = new short[size];
            tokens = new long[size];
            inBytes = new long[size];
            chainLen = new int[size];
            segAddr = new long[size];
            segLen = new int[size];
            for (int i = 0; i < size; i++) {
                next[i] = (short) ((i + 1) % size);
            }
            numFree = size;
        }

        /** Adds n 1-out/1-in chains; returns the kick decision (used.flags, as without EVENT_IDX). */
        boolean submit(int n, long request, long response) {
            MemorySegment m = mem;
            int mask = size - 1;
            for (int i = 0; i < n; i++) {
                if (numFree < 2) {
                    throw new IllegalStateException("ring full");
                }
                int head = freeHead;
                int tail = next[head];
                freeHead = next[tail];
                numFree -= 2;
                m.set(U64, desc + 16L * head, request + 16L * i);
                m.set(U64, desc + 16L * head + 8, 16 | (1L << 32) | ((long) tail << 48));
                m.set(U64, desc + 16L * tail, response + 16L * i);
                m.set(U64, desc + 16L * tail + 8, 16 | (2L << 32));
                m.set(U16, avail + 4 + 2 * (availIdx & mask), (short) head);
                tokens[head] = i;
                inBytes[head] = 16;
                chainLen[head] = 2;
                availIdx++;
            }
            VOLATILE_U16.setVolatile(m, avail + 2, (short) availIdx);
            VarHandle.fullFence();
            return (m.get(U16, used) & 1) == 0;
        }

        /** Takes every available chain and completes it with 16 bytes; returns the notify decision. */
        boolean device() {
            MemorySegment m = mem;
            int mask = size - 1;
            int idx = (short) VOLATILE_U16.getVolatile(m, avail + 2) & 0xffff;
            if (((idx - lastAvail) & 0xffff) > size) {
                throw new IllegalStateException("avail index jump");
            }
            while (lastAvail != idx) {
                int head = m.get(U16, avail + 4 + 2 * (lastAvail & mask)) & 0xffff;
                if (head >= size) {
                    throw new IllegalStateException("head out of range");
                }
                int k = 0;
                int d = head;
                long writable = 0;
                while (true) {
                    if (k >= size) {
                        throw new IllegalStateException("loop");
                    }
                    long addr = m.get(U64, desc + 16L * d);
                    long lfn = m.get(U64, desc + 16L * d + 8);
                    long len = lfn & 0xffffffffL;
                    int flags = (int) (lfn >>> 32) & 0xffff;
                    if ((flags & 4) != 0) {
                        throw new IllegalStateException("indirect not expected here");
                    }
                    long off = addr - guestBase;
                    if (Long.compareUnsigned(off, guestSize) >= 0 || len > guestSize - off) {
                        throw new IllegalStateException("outside guest memory");
                    }
                    boolean w = (flags & 2) != 0;
                    if (!w && writable > 0) {
                        throw new IllegalStateException("readable after writable");
                    }
                    if (w) {
                        writable += len;
                    }
                    segAddr[k] = off;
                    segLen[k++] = (int) len;
                    if ((flags & 1) == 0) {
                        break;
                    }
                    d = (int) (lfn >>> 48);
                    if (d >= size) {
                        throw new IllegalStateException("next out of range");
                    }
                }
                if (16 > writable) {
                    throw new IllegalStateException("used length too large");
                }
                m.set(U64, used + 4 + 8 * (usedIdx & mask), head | (16L << 32));
                usedIdx = (usedIdx + 1) & 0xffff;
                lastAvail = (lastAvail + 1) & 0xffff;
            }
            VOLATILE_U16.setVolatile(m, used + 2, (short) usedIdx);
            VarHandle.fullFence();
            return (m.get(U16, avail) & 1) == 0;
        }

        long reclaim() {
            MemorySegment m = mem;
            int mask = size - 1;
            long sum = 0;
            int usedNow = (short) VOLATILE_U16.getVolatile(m, used + 2) & 0xffff;
            while ((lastUsed & 0xffff) != usedNow) {
                long e = m.get(U64, used + 4 + 8 * (lastUsed & mask));
                int id = (int) e;
                long len = e >>> 32;
                if (Integer.compareUnsigned(id, size) >= 0 || chainLen[id] == 0 || len > inBytes[id]) {
                    throw new IllegalStateException("bad used element");
                }
                int tail = next[id];
                next[tail] = (short) freeHead;
                freeHead = id;
                numFree += chainLen[id];
                chainLen[id] = 0;
                sum += tokens[id] + len;
                lastUsed++;
            }
            return sum;
        }
    }
}
