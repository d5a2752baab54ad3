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
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;
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
 * One thread plays driver and device: submit {@code batch} requests, let the device take and
 * complete them all, reclaim them all. Scores are nanoseconds per batch; divide by the batch size
 * for a per-request cost. The comparators move the same 16-byte descriptor through a request
 * queue and back through a response queue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Agrona 2.x reaches jdk.internal.misc.Unsafe, which the JDK only allows when exported.
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class RoundTripBenchmark {
    static final int QUEUE_SIZE = 256;

    @State(Scope.Thread)
    public static class Virtio {
        @Param({"split", "packed"})
        public String format;
        @Param({"false", "true"})
        public boolean eventIdx;
        @Param({"1", "16", "64"})
        public int batch;

        LoopbackTransport transport;
        DriverQueue driver;
        DeviceQueue device;
        DescriptorChain chain;
        final Completion done = new Completion();
        long request;
        long response;

        @Setup(Level.Trial)
        public void setUp() throws VirtqueueException {
            long features = VirtioFeatures.VERSION_1 | ("packed".equals(format) ? VirtioFeatures.RING_PACKED : 0)
                    | (eventIdx ? VirtioFeatures.EVENT_IDX : 0);
            transport = LoopbackTransport.create(features, QUEUE_SIZE, 0, 1 << 16, true);
            driver = transport.driver();
            device = transport.device();
            chain = device.newChain();
            request = transport.dataBase();
            response = request + 4096;
        }
    }

    @Benchmark
    public long virtqueue(Virtio s) throws VirtqueueException {
        DriverQueue drv = s.driver;
        DeviceQueue dev = s.device;
        int n = s.batch;
        for (int i = 0; i < n; i++) {
            drv.addOut(s.request + 16L * i, 16).addIn(s.response + 16L * i, 16).submit(i);
        }
        s.transport.kick();
        DescriptorChain c = s.chain;
        while (dev.pop(c)) {
            dev.addUsed(c, 16);
        }
        dev.flushUsed();
        s.transport.interrupt();
        long sum = 0;
        while (drv.pollUsed(s.done)) {
            sum += s.done.cookie();
        }
        return sum;
    }

    /** A 16-byte descriptor as an object, recycled through a pool owned by the driver side. */
    static final class Desc {
        long addr;
        int len;
        short flags;
        short next;
    }

    @State(Scope.Thread)
    public static class JcTools {
        @Param({"1", "16", "64"})
        public int batch;

        final SpscArrayQueue<Desc> requests = new SpscArrayQueue<>(QUEUE_SIZE);
        final SpscArrayQueue<Desc> responses = new SpscArrayQueue<>(QUEUE_SIZE);
        final Desc[] pool = new Desc[QUEUE_SIZE];
        int free;

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < QUEUE_SIZE; i++) {
                pool[i] = new Desc();
            }
            free = QUEUE_SIZE;
        }
    }

    @Benchmark
    public long jctoolsSpscPair(JcTools s) {
        int n = s.batch;
        for (int i = 0; i < n; i++) {
            Desc d = s.pool[--s.free];
            d.addr = 0x10000L + 16L * i;
            d.len = 16;
            d.flags = 2;
            d.next = (short) i;
            s.requests.offer(d);
        }
        Desc d;
        while ((d = s.requests.poll()) != null) {
            d.len = d.len + d.flags;
            s.responses.offer(d);
        }
        long sum = 0;
        while ((d = s.responses.poll()) != null) {
            sum += d.next + d.len;
            s.pool[s.free++] = d;
        }
        return sum;
    }

    @State(Scope.Thread)
    public static class Agrona {
        @Param({"1", "16", "64"})
        public int batch;

        final OneToOneRingBuffer requests = ring();
        final OneToOneRingBuffer responses = ring();
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        long sum;
        final MessageHandler device = (type, buffer, index, length) -> {
            scratch.putLong(0, buffer.getLong(index));
            scratch.putInt(8, buffer.getInt(index + 8) + buffer.getShort(index + 12));
            scratch.putInt(12, buffer.getInt(index + 12));
            responses.write(1, scratch, 0, 16);
        };
        final MessageHandler driver = (type, buffer, index, length) -> sum += buffer.getShort(index + 14)
                + buffer.getInt(index + 8);

        static OneToOneRingBuffer ring() {
            // 16-byte payload + 8-byte record header, aligned to 32 bytes: QUEUE_SIZE records.
            int capacity = QUEUE_SIZE * 32 + RingBufferDescriptor.TRAILER_LENGTH;
            return new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(capacity)));
        }
    }

    @Benchmark
    public long agronaOneToOnePair(Agrona s) {
        int n = s.batch;
        UnsafeBuffer b = s.scratch;
        for (int i = 0; i < n; i++) {
            b.putLong(0, 0x10000L + 16L * i);
            b.putInt(8, 16);
            b.putShort(12, (short) 2);
            b.putShort(14, (short) i);
            s.requests.write(1, b, 0, 16);
        }
        s.requests.read(s.device, n);
        s.sum = 0;
        s.responses.read(s.driver, n);
        return s.sum;
    }
}
