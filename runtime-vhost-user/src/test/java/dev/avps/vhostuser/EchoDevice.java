package dev.avps.vhostuser;

import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import java.util.concurrent.atomic.AtomicInteger;

/** A device for tests: copies each request's readable bytes into its writable part. */
final class EchoDevice implements VirtioDevice {

    static final long VERSION_1 = 1L << 32;

    final AtomicInteger handled = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final byte[] config = {10, 11, 12, 13, 14, 15, 16, 17};
    volatile long negotiated;
    /** The feature bits offered; a test may add some (RING_PACKED) before a front end connects. */
    volatile long offered = VERSION_1;
    /** Feature bits the device cannot work without (a test sets them to see FEATURES_OK refused). */
    volatile long needed;
    /** Runs before each request with the number of requests handled so far (a test may hold one up). */
    volatile java.util.function.IntConsumer beforeHandle = n -> { };
    /** What the transport registered to announce config changes. */
    volatile Runnable configNotifier;

    @Override
    public long features() {
        return offered;
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public int configSize() {
        return config.length;
    }

    @Override
    public void readConfig(int offset, byte[] dst) {
        System.arraycopy(config, offset, dst, 0, dst.length);
    }

    @Override
    public void writeConfig(int offset, byte[] src) {
        System.arraycopy(src, 0, config, offset, src.length);
    }

    @Override
    public void onConfigChange(Runnable notifier) {
        configNotifier = notifier;
    }

    @Override
    public void featuresNegotiated(long features) {
        negotiated = features;
    }

    @Override
    public boolean acceptsFeatures(long features) {
        return (features & needed) == needed;
    }

    @Override
    public int handle(int queue, DescriptorChain request) throws VirtqueueException {
        beforeHandle.accept(handled.get());
        int n = (int) Math.min(request.readableBytes(), request.writableBytes());
        byte[] buf = new byte[n];
        request.copyFromReadable(0, buf, 0, n);
        request.copyToWritable(0, buf, 0, n);
        handled.incrementAndGet();
        return n;
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
    }
}
