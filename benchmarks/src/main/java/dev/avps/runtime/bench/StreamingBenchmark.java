package dev.avps.runtime.bench;

import dev.avps.runtime.Completion;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.DeviceQueue;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.VirtioFeatures;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.transport.LoopbackTransport;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * A driver thread streams requests while a device thread completes them, both polling (device
 * notifications disabled). JMH's per-thread scores count every call, including calls that found
 * the ring full or empty; the meaningful figure is the {@code completed} counter: requests
 * completed by the device thread per microsecond. A thread that finds the ring full (driver) or
 * empty (device) calls {@link Thread#yield()}: on an oversubscribed machine the two spinning
 * threads are otherwise rarely scheduled together, and the score degenerates to one ring-full per
 * scheduler quantum.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Agrona 2.x reaches jdk.internal.misc.Unsafe, which the JDK only allows when exported.
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class StreamingBenchmark {
    static final int QUEUE_SIZE = 256;

    @State(Scope.Group)
    public static class Virtio {
        @Param({"split", "packed"})
        public String format;

        DriverQueue driver;
        DeviceQueue device;
        long request;
        long response;

        @Setup(Level.Trial)
        public void setUp() throws VirtqueueException {
            long features = VirtioFeatures.VERSION_1 | ("packed".equals(format) ? VirtioFeatures.RING_PACKED : 0);
            LoopbackTransport t = LoopbackTransport.create(features, QUEUE_SIZE, 0, 1 << 16, true);
            driver = t.driver();
            device = t.device();
            device.disableNotifications();
            driver.disableCallbacks();
            request = t.dataBase();
            response = request + 16 * QUEUE_SIZE;
        }
    }

    /**
     * Per-thread state: anything one side writes per operation lives here, never in the shared
     * group state, so the two threads share nothing but the queue itself (no false sharing that
     * the benchmark, rather than the queue, would cause).
     */
    @State(Scope.Thread)
    public static class DriverScratch {
        final Completion done = new Completion();
        long next;
    }

    @State(Scope.Thread)
    public static class DeviceScratch {
        DescriptorChain chain;
    }

    /** Requests completed by the device thread (reported as a rate). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Completed {
        public long completed;

        @Setup(Level.Iteration)
        public void clear() {
            completed = 0;
        }
    }

    @Benchmark
    @Group("virtqueue")
    @GroupThreads(1)
    public boolean driver(Virtio s, DriverScratch d) throws VirtqueueException {
        DriverQueue q = s.driver;
        while (q.pollUsed(d.done)) {
            // reclaiming is part of the driver's work
        }
        int slot = (int) (d.next & (QUEUE_SIZE - 1));
        if (q.addOut(s.request + 16L * slot, 16).addIn(s.response + 16L * slot, 16).submit(d.next) < 0) {
            q.clearStaged();
            Thread.yield();
            return false;
        }
        d.next++;
        return true;
    }

    @Benchmark
    @Group("virtqueue")
    @GroupThreads(1)
    public boolean device(Virtio s, DeviceScratch d, Completed counter) throws VirtqueueException {
        if (d.chain == null) {
            d.chain = s.device.newChain();
        }
        if (!s.device.pop(d.chain)) {
            Thread.yield();
            return false;
        }
        s.device.push(d.chain, 16);
        counter.completed++;
        return true;
    }

    static final class Desc {
        long addr;
        int len;
        short flags;
        short next;
    }

    @State(Scope.Group)
    public static class JcTools {
        final SpscArrayQueue<Desc> requests = new SpscArrayQueue<>(QUEUE_SIZE);
        final SpscArrayQueue<Desc> responses = new SpscArrayQueue<>(QUEUE_SIZE);
    }

    /** The driver's descriptor pool and counters, private to the driver thread. */
    @State(Scope.Thread)
    public static class JcDriver {
        final Desc[] pool = new Desc[QUEUE_SIZE];
        int free;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < QUEUE_SIZE; i++) {
                pool[i] = new Desc();
            }
            free = QUEUE_SIZE;
        }
    }

    @Benchmark
    @Group("jctoolsSpscPair")
    @GroupThreads(1)
    public boolean jcDriver(JcTools s, JcDriver p) {
        Desc d;
        while ((d = s.responses.poll()) != null) {
            p.pool[p.free++] = d;
        }
        if (p.free == 0) {
            Thread.yield();
            return false;
        }
        d = p.pool[--p.free];
        d.addr = 0x10000L + 16L * (p.next & 255);
        d.len = 16;
        d.flags = 2;
        d.next = (short) p.next++;
        s.requests.offer(d);
        return true;
    }

    @Benchmark
    @Group("jctoolsSpscPair")
    @GroupThreads(1)
    public boolean jcDevice(JcTools s, Completed counter) {
        Desc d = s.requests.poll();
        if (d == null) {
            Thread.yield();
            return false;
        }
        d.len = d.len + d.flags;
        s.responses.offer(d);
        counter.completed++;
        return true;
    }

    @State(Scope.Group)
    public static class Agrona {
        final OneToOneRingBuffer requests = RoundTripBenchmark.Agrona.ring();
        final OneToOneRingBuffer responses = RoundTripBenchmark.Agrona.ring();
    }

    @State(Scope.Thread)
    public static class AgronaDriver {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        int reclaimed;
        int outstanding;
        long next;
        final MessageHandler onResponse = (type, buffer, index, length) -> reclaimed++;
    }

    @State(Scope.Thread)
    public static class AgronaDevice {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        OneToOneRingBuffer responses;
        final MessageHandler onRequest = (type, buffer, index, length) -> {
            scratch.putLong(0, buffer.getLong(index));
            scratch.putInt(8, buffer.getInt(index + 8) + buffer.getShort(index + 12));
            scratch.putInt(12, buffer.getInt(index + 12));
            while (!responses.write(1, scratch, 0, 16)) {
                Thread.onSpinWait();
            }
        };
    }

    @Benchmark
    @Group("agronaOneToOnePair")
    @GroupThreads(1)
    public boolean agDriver(Agrona s, AgronaDriver d) {
        d.reclaimed = 0;
        s.responses.read(d.onResponse);
        d.outstanding -= d.reclaimed;
        if (d.outstanding == QUEUE_SIZE) {
            Thread.yield();
            return false;
        }
        UnsafeBuffer b = d.scratch;
        b.putLong(0, 0x10000L + 16L * (d.next & 255));
        b.putInt(8, 16);
        b.putShort(12, (short) 2);
        b.putShort(14, (short) d.next);
        if (!s.requests.write(1, b, 0, 16)) {
            Thread.yield();
            return false;
        }
        d.next++;
        d.outstanding++;
        return true;
    }

    @Benchmark
    @Group("agronaOneToOnePair")
    @GroupThreads(1)
    public int agDevice(Agrona s, AgronaDevice d, Completed counter) {
        d.responses = s.responses;
        int n = s.requests.read(d.onRequest, 1);
        if (n == 0) {
            Thread.yield();
        }
        counter.completed += n;
        return n;
    }
}
