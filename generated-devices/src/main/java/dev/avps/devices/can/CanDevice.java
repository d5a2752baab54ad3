package dev.avps.devices.can;

import dev.avps.generated.can.CanConstants;
import dev.avps.generated.can.CanDeviceBase;
import dev.avps.generated.can.CanFeatures;
import dev.avps.generated.can.ControlRequest;
import dev.avps.generated.can.ReceiveRequest;
import dev.avps.generated.can.TransmitRequest;
import dev.avps.generated.can.VirtioCanMsgType;
import dev.avps.generated.can.VirtioCanResult;
import dev.avps.generated.can.VirtioCanRx;
import dev.avps.generated.can.VirtioCanTxOut;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.device.FeatureSet;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * virtio-can (device ID 36): one controller on a virtual bus that lives in this process. It offers
 * CAN_CLASSIC, CAN_FD and RTR_FRAMES (not LATE_TX_ACK: a frame counts as sent once the bus has
 * it, which here is at once). The controller starts STOPPED, as the spec says, and follows the
 * control queue's START and STOP.
 *
 * <p>A started controller acknowledges each valid frame the driver sends (VIRTIO_CAN_RESULT_OK),
 * records it ({@link #sent}) and, with the answering peer switched on, the peer answers it with
 * the same frame under identifier + 1 (wrapping within 11 or 29 bits). The host puts frames of
 * its own on the bus with {@link #inject}. Frames for the driver wait in a bounded queue
 * ({@link #MAX_PENDING}) until it posts receive buffers; receive buffers wait ({@code DEFER})
 * while nothing is pending. A stopped controller takes no part in the bus: frames for it are
 * dropped and counted, and it refuses frames to send.
 *
 * <p>VIRTIO_CAN_RESULT_NOT_OK answers a frame to send that is shorter than its header or its
 * length, uses a flag that is undefined or a frame type that was not negotiated, has an
 * identifier or length out of range, or comes while the controller is stopped; also an unknown
 * message type on the transmit or control queue. A chain with no device-writable byte cannot be
 * answered and is completed empty; every refusal is counted in {@link #refused()}.
 */
public final class CanDevice extends CanDeviceBase {

    static final long OFFERED = CanFeatures.CAN_CLASSIC | CanFeatures.CAN_FD | CanFeatures.RTR_FRAMES;
    /** Frames waiting for receive buffers; more are dropped and counted. */
    static final int MAX_PENDING = 4096;
    /** Frames the driver sent that {@link #sent} keeps; older ones are forgotten. */
    static final int HISTORY = 4096;
    /** struct virtio_can_tx_out / virtio_can_rx up to the payload. */
    static final int HEADER = VirtioCanTxOut.SIZE;
    static final byte OK = (byte) VirtioCanResult.VIRTIO_CAN_RESULT_OK;
    static final byte NOT_OK = (byte) VirtioCanResult.VIRTIO_CAN_RESULT_NOT_OK;
    static final int START = VirtioCanMsgType.VIRTIO_CAN_SET_CTRL_MODE_START;
    static final int STOP = VirtioCanMsgType.VIRTIO_CAN_SET_CTRL_MODE_STOP;

    private final boolean answering;
    private volatile boolean started;
    private final ConcurrentLinkedQueue<CanFrame> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** The last {@link #HISTORY} frames the driver sent, oldest first. */
    private final ArrayDeque<CanFrame> sent = new ArrayDeque<>();
    private long sentCount;
    private volatile Consumer<CanFrame> sentListener = f -> { };
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastRefusal = "";
    private volatile Runnable rxWakeup;
    private volatile Runnable configNotifier = () -> { };

    /** @param answering whether the bus has a peer that answers every frame with identifier + 1 */
    public CanDevice(boolean answering) {
        super(OFFERED);
        this.answering = answering;
    }

    public boolean started() {
        return started;
    }

    /** The frames the driver sent and the bus took, in order (the last {@link #HISTORY}). */
    public List<CanFrame> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** How many frames the driver sent and the bus took. */
    public long sentCount() {
        synchronized (sent) {
            return sentCount;
        }
    }

    /** Sees every frame the bus takes from the driver, on the transmit queue's worker thread. */
    public void onSent(Consumer<CanFrame> listener) {
        sentListener = listener == null ? f -> { } : listener;
    }

    /**
     * Waits until the driver has sent {@code count} frames in all; returns {@link #sent()}, or null
     * on timeout.
     */
    public List<CanFrame> awaitSent(long count, long timeoutMillis) throws InterruptedException {
        long until = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (sent) {
            while (sentCount < count) {
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return null;
                }
                sent.wait(left);
            }
            return List.copyOf(sent);
        }
    }

    /** Frames written into the driver's receive buffers. */
    public long delivered() {
        return delivered.get();
    }

    /** Frames for the driver dropped: the controller was stopped, the queue full, or the buffer too small. */
    public long dropped() {
        return dropped.get();
    }

    /** Requests answered NOT_OK or completed empty. */
    public long refused() {
        return refused.get();
    }

    /** Why the last request was refused ("" when none was). */
    public String lastRefusal() {
        return lastRefusal;
    }

    /**
     * Puts a frame from another bus participant on the bus for the driver. Returns false (and
     * counts it dropped) when the controller is stopped, the driver cannot take this kind of
     * frame, or {@link #MAX_PENDING} frames already wait.
     */
    public boolean inject(CanFrame frame) {
        if (!started || frame.problem(has(CanFeatures.CAN_CLASSIC_BIT), has(CanFeatures.CAN_FD_BIT),
                has(CanFeatures.RTR_FRAMES_BIT)) != null) {
            dropped.incrementAndGet();
            return false;
        }
        if (pendingCount.incrementAndGet() > MAX_PENDING) {
            pendingCount.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        pending.add(frame);
        Runnable w = rxWakeup;
        if (w != null) {
            w.run();
        }
        return true;
    }

    /**
     * The controller went bus-off: it stops, says so in the config {@code status}, and the driver
     * is told through the configuration change notification. The driver restarts it with START.
     */
    public void busOff() {
        stop();
        config().status(config().status() | CanConstants.VIRTIO_CAN_S_CTRL_BUSOFF);
        configNotifier.run();
    }

    @Override
    public void onConfigChange(Runnable notifier) {
        configNotifier = notifier;
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queue == Q_RXQ) {
            rxWakeup = wakeup;
        }
    }

    @Override
    public void queueStopped(int queue) {
        if (queue == Q_RXQ) {
            rxWakeup = null;
        }
    }

    /** A new driver meets a stopped controller with nothing pending and no bus-off. */
    @Override
    public void reset() {
        super.reset();
        stop();
        config().status(0);
    }

    private void stop() {
        started = false;
        int n = 0;
        while (pending.poll() != null) {
            n++;
        }
        pendingCount.addAndGet(-n);
        dropped.addAndGet(n);
    }

    /** Whether feature {@code bit} is negotiated (or, before negotiation, offered). */
    private boolean has(int bit) {
        FeatureSet f = negotiatedFeatures().isEmpty() ? offeredFeatures() : negotiatedFeatures();
        return f.has(bit);
    }

    @Override
    protected int onTransmit(TransmitRequest request) {
        DescriptorChain chain = request.chain();
        if (chain.writableBytes() < 1) {
            return unanswerable("a frame to send with no room for its result");
        }
        if (chain.readableBytes() < HEADER) {
            return notOk(chain, "a frame to send of " + chain.readableBytes() + " bytes, shorter than its header");
        }
        VirtioCanTxOut out = request.readable().frame();
        int length = out.length();
        if (chain.readableBytes() - HEADER < length) {
            return notOk(chain, "a length of " + length + " with " + (chain.readableBytes() - HEADER)
                    + " payload bytes");
        }
        if (length > 64) {
            return notOk(chain, "a length of " + length);
        }
        byte[] data = new byte[length];
        chain.copyFromReadable(HEADER, data, 0, length);
        CanFrame frame = new CanFrame((int) out.canId(), (int) out.flags(), data);
        String problem = frame.problem(has(CanFeatures.CAN_CLASSIC_BIT), has(CanFeatures.CAN_FD_BIT),
                has(CanFeatures.RTR_FRAMES_BIT));
        if (problem != null) {
            return notOk(chain, problem);
        }
        if (!started) {
            return notOk(chain, "a frame to send while the controller is stopped");
        }
        synchronized (sent) {
            if (sent.size() == HISTORY) {
                sent.removeFirst();
            }
            sent.addLast(frame);
            sentCount++;
            sent.notifyAll();
        }
        sentListener.accept(frame);
        if (answering) {
            inject(new CanFrame((frame.canId() + 1) & frame.idMask(), frame.flags(), frame.data()));
        }
        request.writable().result().result(OK);
        return 1;
    }

    @Override
    protected int onReceive(ReceiveRequest request) {
        DescriptorChain chain = request.chain();
        if (chain.writableBytes() < HEADER) {
            // Too small for any frame: given back empty rather than held for ever.
            return unanswerable("a receive buffer of " + chain.writableBytes() + " bytes");
        }
        CanFrame f = pending.poll();
        if (f == null) {
            return DEFER;
        }
        pendingCount.decrementAndGet();
        int n = f.data().length;
        if (chain.writableBytes() < HEADER + n) {
            dropped.incrementAndGet();
            return unanswerable("a receive buffer of " + chain.writableBytes() + " bytes for " + n + " payload bytes");
        }
        VirtioCanRx rx = request.writable().frame();
        rx.msgType(VirtioCanMsgType.VIRTIO_CAN_RX).length(n).reservedClassicDlc(0).reservedXlPriority(0)
                .flags(f.flags()).canId(f.canId());
        chain.writeByte(5, (byte) 0);
        chain.copyToWritable(HEADER, f.data(), 0, n);
        delivered.incrementAndGet();
        return HEADER + n;
    }

    @Override
    protected int onControl(ControlRequest request) {
        DescriptorChain chain = request.chain();
        if (chain.writableBytes() < 1) {
            return unanswerable("a control request with no room for its result");
        }
        if (request.readable().req().msgType() == START) {
            // Requested by the driver: the status change needs no config notification.
            config().status(config().status() & ~CanConstants.VIRTIO_CAN_S_CTRL_BUSOFF);
            started = true;
        } else {
            stop();
        }
        request.writable().result().result(OK);
        return 1;
    }

    @Override
    protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) {
        return notOk(chain, "message type 0x" + Long.toHexString(selector) + " on queue " + queue);
    }

    @Override
    protected int onMalformed(int queue, DescriptorChain chain) {
        return notOk(chain, "a request too short for its message type on queue " + queue);
    }

    @Override
    protected int onUnknownQueue(int queue, DescriptorChain chain) {
        return unanswerable("a request on queue " + queue);
    }

    /** Answers NOT_OK in the first device-writable byte, where every result of this device lives. */
    private int notOk(DescriptorChain chain, String why) {
        if (chain.writableBytes() < 1) {
            return unanswerable(why);
        }
        refused.incrementAndGet();
        lastRefusal = why;
        chain.writeByte(0, NOT_OK);
        return 1;
    }

    private int unanswerable(String why) {
        refused.incrementAndGet();
        lastRefusal = why;
        return 0;
    }
}
