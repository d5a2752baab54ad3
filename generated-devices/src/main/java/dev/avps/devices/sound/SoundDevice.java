package dev.avps.devices.sound;

import dev.avps.generated.sound.CtlEnumItemsRequest;
import dev.avps.generated.sound.CtlReadRequest;
import dev.avps.generated.sound.CtlTlvReadRequest;
import dev.avps.generated.sound.CtlTlvWriteRequest;
import dev.avps.generated.sound.CtlWriteRequest;
import dev.avps.generated.sound.EventRequest;
import dev.avps.generated.sound.JackRemapRequest;
import dev.avps.generated.sound.PcmControlRequest;
import dev.avps.generated.sound.PcmRxRequest;
import dev.avps.generated.sound.PcmSetParamsRequest;
import dev.avps.generated.sound.PcmTxRequest;
import dev.avps.generated.sound.QueryInfoRequest;
import dev.avps.generated.sound.SoundDeviceBase;
import dev.avps.generated.sound.VirtioSndCode;
import dev.avps.generated.sound.VirtioSndDirection;
import dev.avps.generated.sound.VirtioSndHdr;
import dev.avps.generated.sound.VirtioSndPcmFormat;
import dev.avps.generated.sound.VirtioSndPcmInfo;
import dev.avps.generated.sound.VirtioSndPcmRate;
import dev.avps.generated.sound.VirtioSndPcmSetParams;
import dev.avps.generated.sound.VirtioSndPcmStatus;
import dev.avps.generated.sound.VirtioSndQueryInfo;
import dev.avps.runtime.DescriptorChain;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * virtio-snd (device ID 25) with one playback stream whose frames go to a file (raw PCM, or WAV
 * for a {@code .wav} name). The generated {@link SoundDeviceBase} dispatches control, event, tx
 * and rx chains by request code; this class keeps the stream's state machine and plays.
 *
 * <p>Playback is paced like a real DAC: a period is consumed (and its buffer returned) only when
 * the previous one would have finished playing at the negotiated rate. Returning buffers faster
 * would let ALSA run ahead of the application and replay stale buffer contents at the end.
 * With pacing off ({@code realTime = false}) the file fills as fast as the guest can write.
 */
public final class SoundDevice extends SoundDeviceBase {

    private static final System.Logger LOG = System.getLogger(SoundDevice.class.getName());

    static final long OK = VirtioSndCode.VIRTIO_SND_S_OK;
    static final long BAD_MSG = VirtioSndCode.VIRTIO_SND_S_BAD_MSG;
    static final long NOT_SUPP = VirtioSndCode.VIRTIO_SND_S_NOT_SUPP;
    static final long IO_ERR = VirtioSndCode.VIRTIO_SND_S_IO_ERR;

    /** Formats this backend plays (bit per VIRTIO_SND_PCM_FMT_*). */
    static final long FORMATS = 1L << VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U8
            | 1L << VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16 | 1L << VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S32;
    /** Rates this backend plays (bit per VIRTIO_SND_PCM_RATE_*). */
    static final long RATES = 1L << VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_8000
            | 1L << VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_11025 | 1L << VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_16000
            | 1L << VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_22050 | 1L << VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_44100
            | 1L << VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000;
    static final int CHANNELS_MIN = 1;
    /** How long RELEASE waits for the tx queue to hand back its buffers. */
    static final long RELEASE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final int CHANNELS_MAX = 2;

    /** The stream's states (spec: PCM command lifecycle). */
    enum State { INITIAL, PARAMS_SET, PREPARED, RUNNING, STOPPED, RELEASED }

    private final Path output;
    private final boolean realTime;
    private final ScheduledExecutorService clock;

    // Shared by the control and tx worker threads: guarded by this.
    private State state = State.INITIAL;
    private PcmParams params;
    /** The format of the last stream started; unlike params it survives a reset. */
    private PcmParams lastStarted;
    private PcmFile file;
    private int files;
    private long playhead;
    private long playedBytes;

    /** Counts the tx worker's idle moments (every buffer back with the driver); guarded by itself. */
    private final long[] txIdles = {0};

    // tx worker thread only.
    private long heldDue;
    private boolean timerArmed;
    private volatile Runnable txWakeup;

    private final VirtioSndPcmInfo info = new VirtioSndPcmInfo();

    /**
     * @param output   where played frames go; a {@code .wav} name gets a WAV file (a new numbered
     *                 file whenever the driver changes the format), any other name raw bytes
     * @param realTime consume periods at the stream's rate (true) or as fast as they come
     */
    public SoundDevice(Path output, boolean realTime) {
        super(0);
        this.output = output;
        this.realTime = realTime;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "avps-snd-clock");
            t.setDaemon(true);
            return t;
        });
        config().jacks(0).streams(1).chmaps(0);
    }

    /** The stream's state, for tests and monitoring. */
    public synchronized State state() {
        return state;
    }

    /** The parameters the driver set last, or null. */
    public synchronized PcmParams params() {
        return params;
    }

    /** The parameters of the stream started last (kept after the driver goes away), or null. */
    public synchronized PcmParams lastStarted() {
        return lastStarted;
    }

    /** Bytes of audio written to the output so far. */
    public synchronized long playedBytes() {
        return playedBytes;
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queueFamily(queue) == Q_TXQ) {
            txWakeup = wakeup;
        }
    }

    @Override
    public void queueIdle(int queue) {
        if (queueFamily(queue) == Q_TXQ) {
            synchronized (txIdles) {
                txIdles[0]++;
                txIdles.notifyAll();
            }
        }
    }

    @Override
    public void queueStopped(int queue) {
        if (queueFamily(queue) == Q_TXQ) {
            txWakeup = null;
        }
    }

    @Override
    public synchronized void reset() {
        super.reset();
        state = State.INITIAL;
        params = null;
        closeFile();
    }

    @Override
    protected int onQueryInfo(QueryInfoRequest request) {
        if (!request.wellFormed()) {
            return 0;
        }
        VirtioSndQueryInfo q = request.readable().req();
        VirtioSndHdr status = request.writable().status();
        long code = q.hdr().code();
        long start = q.startId();
        long count = q.count();
        long size = q.size_();
        if (code != VirtioSndCode.VIRTIO_SND_R_PCM_INFO) {
            // No jacks, channel maps or control elements exist (config says 0, CTLS is not offered).
            status.code(code == VirtioSndCode.VIRTIO_SND_R_CTL_INFO ? NOT_SUPP : BAD_MSG);
            return VirtioSndHdr.SIZE;
        }
        long streams = config().streams();
        if (start < 0 || count < 1 || start + count > streams || size < VirtioSndPcmInfo.SIZE
                || VirtioSndHdr.SIZE + count * size > request.writableBytes()) {
            status.code(BAD_MSG);
            return VirtioSndHdr.SIZE;
        }
        DescriptorChain chain = request.chain();
        long at = request.writable().infoOffset();
        for (long i = 0; i < count; i++, at += size) {
            // The whole entry starts zeroed: its padding (5.14.6.6.2.1) and any room past the struct.
            for (long k = 0; k < size; k++) {
                chain.writeByte(at + k, (byte) 0);
            }
            info.wrapWritable(chain, at, at + VirtioSndPcmInfo.SIZE);
            info.hdr().hdaFnNid(0);
            info.features(0).formats(FORMATS).rates(RATES).direction(VirtioSndDirection.VIRTIO_SND_D_OUTPUT)
                    .channelsMin(CHANNELS_MIN).channelsMax(CHANNELS_MAX);
        }
        status.code(OK);
        return (int) (VirtioSndHdr.SIZE + count * size);
    }

    /** Every control request gets a status, including codes no request format knows. */
    @Override
    protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) {
        return queueFamily(queue) == Q_CONTROLQ ? badControl(chain) : 0;
    }

    @Override
    protected int onMalformed(int queue, DescriptorChain chain) {
        return queueFamily(queue) == Q_CONTROLQ ? badControl(chain) : 0;
    }

    private static int badControl(DescriptorChain chain) {
        if (chain.writableBytes() < VirtioSndHdr.SIZE) {
            return 0;
        }
        chain.writeIntLE(0, (int) BAD_MSG);
        return VirtioSndHdr.SIZE;
    }

    @Override
    protected int onJackRemap(JackRemapRequest request) {
        return reply(request.wellFormed(), request.writable().status(), BAD_MSG);
    }

    @Override
    protected int onPcmSetParams(PcmSetParamsRequest request) {
        if (!request.wellFormed()) {
            return 0;
        }
        VirtioSndPcmSetParams p = request.readable().req();
        VirtioSndHdr status = request.writable().status();
        if (p.hdr().streamId() != 0) {
            return reply(true, status, BAD_MSG);
        }
        boolean supported = ((FORMATS >>> p.format()) & 1) != 0 && p.format() < 64
                && ((RATES >>> p.rate()) & 1) != 0 && p.rate() < 64
                && p.channels() >= CHANNELS_MIN && p.channels() <= CHANNELS_MAX && p.features() == 0;
        PcmParams next = new PcmParams(p.format(), p.rate(), p.channels(), p.bufferBytes(), p.periodBytes());
        if (!supported) {
            return reply(true, status, NOT_SUPP);
        }
        if (next.periodBytes() == 0 || next.bufferBytes() < next.periodBytes()
                || next.periodBytes() % next.frameBytes() != 0) {
            return reply(true, status, BAD_MSG);
        }
        synchronized (this) {
            if (state == State.RUNNING) {
                return reply(true, status, BAD_MSG);
            }
            params = next;
            state = State.PARAMS_SET;
        }
        return reply(true, status, OK);
    }

    @Override
    protected int onPcmControl(PcmControlRequest request) {
        if (!request.wellFormed()) {
            return 0;
        }
        VirtioSndHdr status = request.writable().status();
        long code = request.readable().req().hdr().code();
        if (request.readable().req().streamId() != 0) {
            return reply(true, status, BAD_MSG);
        }
        long result;
        synchronized (this) {
            result = transition(code);
        }
        long idles;
        synchronized (txIdles) {
            idles = txIdles[0];
        }
        // Held tx buffers may now be played (START) or handed back unplayed (STOP, RELEASE).
        Runnable w = txWakeup;
        if (w != null) {
            w.run();
            if (code == VirtioSndCode.VIRTIO_SND_R_PCM_RELEASE && result == OK) {
                awaitTxIdleAfter(idles);
            }
        }
        return reply(true, status, result);
    }

    /**
     * 5.14.6.6.5.1: RELEASE is answered only once every pending I/O buffer of the stream is back
     * with the driver. The wake-up above makes the tx worker offer them all again (released, each
     * is returned at once) and then report itself idle; bounded, so a stuck transport cannot hold
     * the control queue forever.
     */
    private void awaitTxIdleAfter(long idles) {
        long deadline = System.nanoTime() + RELEASE_WAIT_NANOS;
        synchronized (txIdles) {
            while (txIdles[0] == idles) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(Level.WARNING, "RELEASE: the tx queue did not hand its buffers back within 2 s");
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(txIdles, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Applies one PCM command to the state machine; returns the status code. Caller holds the lock. */
    private long transition(long code) {
        State from = state;
        if (code == VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE) {
            if (from == State.INITIAL || from == State.RUNNING || params == null) {
                return BAD_MSG;
            }
            state = State.PREPARED;
        } else if (code == VirtioSndCode.VIRTIO_SND_R_PCM_START) {
            if (from != State.PREPARED && from != State.STOPPED) {
                return BAD_MSG;
            }
            try {
                openFileFor(params);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot open {0}: {1}", output, e.getMessage());
                return IO_ERR;
            }
            playhead = System.nanoTime();
            lastStarted = params;
            state = State.RUNNING;
        } else if (code == VirtioSndCode.VIRTIO_SND_R_PCM_STOP) {
            if (from != State.RUNNING) {
                return BAD_MSG;
            }
            state = State.STOPPED;
        } else if (code == VirtioSndCode.VIRTIO_SND_R_PCM_RELEASE) {
            if (from != State.PREPARED && from != State.STOPPED && from != State.PARAMS_SET) {
                return BAD_MSG;
            }
            state = State.RELEASED;
        } else {
            return BAD_MSG;
        }
        return OK;
    }

    private void openFileFor(PcmParams p) throws IOException {
        if (file != null && file.params().equals(p)) {
            return;
        }
        boolean wav = PcmFile.isWav(output);
        if (file != null && !wav) {
            // Raw output has no header: keep appending, but say that the format changed.
            LOG.log(Level.INFO, "{0}: stream format is now {1}", output, p);
            return;
        }
        closeFile();
        files++;
        Path target = output;
        if (wav && files > 1) {
            String n = output.getFileName().toString();
            target = output.resolveSibling(n.substring(0, n.length() - 4) + "-" + files + n.substring(n.length() - 4));
        }
        file = PcmFile.open(target, p);
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing {0}: {1}", output, e.getMessage());
            }
            file = null;
        }
    }

    @Override
    protected int onPcmTx(PcmTxRequest request) {
        if (!request.wellFormed()) {
            return 0; // no room for a status: nothing to report back
        }
        VirtioSndPcmStatus status = request.writable().status();
        if (request.readable().xfer().streamId() != 0) {
            return txStatus(status, BAD_MSG);
        }
        long frames = request.readable().framesBytes();
        long offset = request.readable().framesOffset();
        synchronized (this) {
            switch (state) {
                case PREPARED:
                    // Linux queues the whole ring before START: keep it until the stream runs.
                    return DEFER;
                case RUNNING:
                    break;
                default:
                    // Stopped or released: hand the buffer back unplayed, as RELEASE requires.
                    heldDue = 0;
                    return txStatus(status, OK);
            }
            if (frames % params.frameBytes() != 0) {
                return txStatus(status, BAD_MSG);
            }
            if (realTime) {
                long now = System.nanoTime();
                if (heldDue == 0) {
                    playhead = Math.max(playhead, now) + params.nanosFor(frames);
                    heldDue = playhead;
                }
                if (now - heldDue < 0) {
                    armTimer(heldDue - now);
                    return DEFER;
                }
                heldDue = 0;
            }
            try {
                play(request.chain(), offset, frames);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "writing {0}: {1}", output, e.getMessage());
                return txStatus(status, IO_ERR);
            }
        }
        return txStatus(status, OK);
    }

    private void armTimer(long nanos) {
        if (timerArmed) {
            return;
        }
        timerArmed = true;
        clock.schedule(() -> {
            synchronized (this) {
                timerArmed = false;
            }
            Runnable w = txWakeup;
            if (w != null) {
                w.run();
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Writes the frames straight from guest memory, segment by segment: no copy, and nothing a
     * driver's buffer size could make the backend allocate.
     */
    private void play(DescriptorChain chain, long offset, long bytes) throws IOException {
        long seen = 0;
        long left = bytes;
        for (int i = 0; i < chain.readableCount() && left > 0; i++) {
            ByteBuffer view = chain.readableView(i);
            int skip = (int) Math.max(0, Math.min(view.limit(), offset - seen));
            seen += view.limit();
            view.position(skip);
            view.limit((int) Math.min(view.limit(), skip + left));
            left -= view.remaining();
            file.write(view);
        }
        playedBytes += bytes;
    }

    private static int txStatus(VirtioSndPcmStatus status, long code) {
        status.status(code).latencyBytes(0);
        return VirtioSndPcmStatus.SIZE;
    }

    private static int reply(boolean wellFormed, VirtioSndHdr status, long code) {
        if (!wellFormed) {
            return 0;
        }
        status.code(code);
        return VirtioSndHdr.SIZE;
    }

    @Override
    protected int onPcmRx(PcmRxRequest request) {
        // No capture stream exists; a driver that posts rx buffers gets them back marked bad.
        if (!request.wellFormed()) {
            return 0;
        }
        request.writable().status().status(BAD_MSG).latencyBytes(0);
        return request.writableBytes();
    }

    @Override
    protected int onEvent(EventRequest request) {
        // Jack and period events are never sent (no jacks, no shared-memory streams): keep the buffers.
        return DEFER;
    }

    @Override
    protected int onCtlEnumItems(CtlEnumItemsRequest request) {
        return reply(request.wellFormed(), request.writable().status(), NOT_SUPP);
    }

    @Override
    protected int onCtlRead(CtlReadRequest request) {
        return reply(request.wellFormed(), request.writable().status(), NOT_SUPP);
    }

    @Override
    protected int onCtlWrite(CtlWriteRequest request) {
        return reply(request.wellFormed(), request.writable().status(), NOT_SUPP);
    }

    @Override
    protected int onCtlTlvRead(CtlTlvReadRequest request) {
        return reply(request.wellFormed(), request.writable().status(), NOT_SUPP);
    }

    @Override
    protected int onCtlTlvWrite(CtlTlvWriteRequest request) {
        return reply(request.wellFormed(), request.writable().status(), NOT_SUPP);
    }

    /** Stops the pacing clock and closes the output file. */
    public synchronized void close() {
        clock.shutdownNow();
        closeFile();
    }
}
