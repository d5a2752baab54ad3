package dev.avps.devices.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.LoopbackDriver;
import dev.avps.generated.sound.VirtioSndCode;
import dev.avps.generated.sound.VirtioSndPcmFormat;
import dev.avps.generated.sound.VirtioSndPcmRate;
import dev.avps.runtime.DriverQueue;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.runtime.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sound backend's control requests, stream lifecycle and playback over real chains. */
class SoundDeviceTest {

    static final int CONTROLQ = SoundDevice.Q_CONTROLQ;
    static final int TXQ = SoundDevice.Q_TXQ;

    @TempDir
    Path dir;

    final LoopbackDriver loop = new LoopbackDriver();
    final GuestMemory mem = loop.memory();
    final DriverQueue drv = loop.driver();
    final long req = loop.data();
    final long resp = req + 4096;
    /** The tx queue has its own ring, so a held tx buffer does not block control requests. */
    final LoopbackDriver tx = new LoopbackDriver();
    final GuestMemory txMem = tx.memory();
    final long txReq = tx.data();
    final long txResp = txReq + 4096;
    SoundDevice snd;

    @AfterEach
    void close() {
        if (snd != null) {
            snd.close();
        }
    }

    SoundDevice device(String name, boolean realTime) {
        snd = new SoundDevice(dir.resolve(name), realTime);
        return snd;
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Sends a control request; returns the status code written back. */
    long control(byte[] request, int responseBytes) throws Exception {
        mem.write(req, request, 0, request.length);
        mem.fill(resp, responseBytes, (byte) 0xee);
        drv.addOut(req, request.length).addIn(resp, responseBytes).submit(1);
        loop.serve(snd, CONTROLQ);
        return mem.readInt(resp) & 0xffffffffL;
    }

    long pcm(long code, int stream) throws Exception {
        return control(le(8).putInt((int) code).putInt(stream).array(), 4);
    }

    long setParams(int stream, int buffer, int period, int channels, int format, int rate) throws Exception {
        return control(le(24).putInt((int) VirtioSndCode.VIRTIO_SND_R_PCM_SET_PARAMS).putInt(stream).putInt(buffer)
                .putInt(period).putInt(0).put((byte) channels).put((byte) format).put((byte) rate).put((byte) 0)
                .array(), 4);
    }

    /** Submits one period of frames on the tx queue; returns the used length or DEFER. */
    int submitTx(byte[] frames, int stream) throws Exception {
        txMem.write(txReq, le(4).putInt(stream).array(), 0, 4);
        txMem.write(txReq + 4, frames, 0, frames.length);
        tx.driver().addOut(txReq, 4).addOut(txReq + 4, frames.length).addIn(txResp, 8).submit(1);
        return tx.offer(snd, TXQ);
    }

    long txStatus() {
        return txMem.readInt(txResp) & 0xffffffffL;
    }

    int s16Stereo48k() throws Exception {
        return (int) setParams(0, 8192, 2048, 2, VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16,
                VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000);
    }

    @Test
    void pcmInfoDescribesThePlaybackStream() throws Exception {
        device("out.raw", false);
        byte[] q = le(16).putInt((int) VirtioSndCode.VIRTIO_SND_R_PCM_INFO).putInt(0).putInt(1).putInt(32).array();
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, control(q, 4 + 32));
        assertEquals(SoundDevice.FORMATS, mem.readLong(resp + 4 + 8));
        assertEquals(SoundDevice.RATES, mem.readLong(resp + 4 + 16));
        assertEquals(0, mem.readByte(resp + 4 + 24), "an output stream");
        assertEquals(1, mem.readByte(resp + 4 + 25));
        assertEquals(2, mem.readByte(resp + 4 + 26));
        assertEquals(1, snd.config().streams());
        assertEquals(0, snd.config().jacks());
        // 5.14.6.6.2.1: the padding is the device's to zero; the driver's buffer started 0xee.
        for (int i = 27; i < 32; i++) {
            assertEquals(0, mem.readByte(resp + 4 + i), "padding byte " + i);
        }
        assertEquals(0, mem.readInt(resp + 4 + 4), "no stream features");
    }

    @Test
    void queriesOutsideWhatExistsAreRefused() throws Exception {
        device("out.raw", false);
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, control(le(16).putInt((int) VirtioSndCode.VIRTIO_SND_R_PCM_INFO)
                .putInt(0).putInt(2).putInt(32).array(), 4 + 64), "two streams asked for, one exists");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, control(le(16).putInt((int) VirtioSndCode.VIRTIO_SND_R_PCM_INFO)
                .putInt(0).putInt(1).putInt(32).array(), 4 + 16), "no room for the answer");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, control(le(16).putInt((int) VirtioSndCode.VIRTIO_SND_R_PCM_INFO)
                .putInt(0).putInt(1).putInt(8).array(), 4 + 32), "an item size smaller than pcm_info");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, control(le(16).putInt((int) VirtioSndCode.VIRTIO_SND_R_JACK_INFO)
                .putInt(0).putInt(1).putInt(24).array(), 4 + 24), "there are no jacks");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_NOT_SUPP, control(le(16).putInt((int) VirtioSndCode.VIRTIO_SND_R_CTL_INFO)
                .putInt(0).putInt(1).putInt(64).array(), 4 + 64));
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, control(le(8).putInt(0x7777).putInt(0).array(), 4),
                "an unknown code");
    }

    @Test
    void parametersOutsideTheCapabilitiesAreRefused() throws Exception {
        device("out.raw", false);
        assertEquals(VirtioSndCode.VIRTIO_SND_S_NOT_SUPP, setParams(0, 8192, 2048, 3,
                VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000), "3 channels");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_NOT_SUPP, setParams(0, 8192, 2048, 2,
                VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_FLOAT, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000), "float");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_NOT_SUPP, setParams(0, 8192, 2048, 2,
                VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_384000), "384 kHz");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_NOT_SUPP, setParams(0, 8192, 2048, 2, 200, 200), "codes past 63");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, setParams(0, 8192, 2047, 2,
                VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000),
                "a period that is not whole frames");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, setParams(0, 1024, 2048, 2,
                VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000),
                "a buffer smaller than a period");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, setParams(1, 8192, 2048, 2,
                VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000), "stream 1");
        assertEquals(SoundDevice.State.INITIAL, snd.state());
    }

    @Test
    void theLifecycleIsEnforcedAndOnlyRunningFramesArePlayed() throws Exception {
        device("out.raw", false);
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0),
                "prepare before parameters");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, s16Stereo48k());
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_START, 0),
                "start before prepare");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0));
        byte[] period = new byte[2048];
        Arrays.fill(period, (byte) 7);
        assertEquals(VirtioDevice.DEFER, submitTx(period, 0), "a prepared stream keeps its buffers until START");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_START, 0));
        assertEquals(8, tx.offer(snd, TXQ), "the held buffer plays once the stream runs");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, txStatus());
        byte[] second = new byte[2048];
        Arrays.fill(second, (byte) 9);
        assertEquals(8, submitTx(second, 0));
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, s16Stereo48k(), "no new parameters while running");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_STOP, 0));
        byte[] stale = new byte[2048];
        Arrays.fill(stale, (byte) 1);
        assertEquals(8, submitTx(stale, 0), "a stopped stream hands buffers back");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_RELEASE, 0));
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_STOP, 0),
                "stop after release");
        byte[] played = Files.readAllBytes(dir.resolve("out.raw"));
        byte[] expected = new byte[4096];
        System.arraycopy(period, 0, expected, 0, 2048);
        System.arraycopy(second, 0, expected, 2048, 2048);
        assertArrayEquals(expected, played, "exactly the running periods, in order, nothing of the stopped one");
        assertEquals(4096, snd.playedBytes());
    }

    /**
     * 5.14.6.6.5.1: RELEASE is answered only after the tx queue has handed back every buffer it
     * held. The wake-up stands in for the tx worker: it returns the held buffer (released, it comes
     * back OK at once) and reports the queue idle 150 ms later; the answer must not come before.
     */
    @Test
    void releaseIsAnsweredOnlyOnceTheTxQueueIsIdle() throws Exception {
        device("out.raw", true);
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, s16Stereo48k());
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0));
        assertEquals(VirtioDevice.DEFER, submitTx(new byte[2048], 0));
        long[] idleAt = {0};
        int[] used = {-2};
        snd.queueStarted(TXQ, () -> new Thread(() -> {
            try {
                used[0] = tx.offer(snd, TXQ);
                Thread.sleep(150);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            idleAt[0] = System.nanoTime();
            snd.queueIdle(TXQ);
        }).start());
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_RELEASE, 0));
        long answeredAt = System.nanoTime();
        assertTrue(idleAt[0] != 0 && answeredAt - idleAt[0] >= 0, "RELEASE answered before the tx queue was idle");
        assertEquals(8, used[0], "the held buffer came back");
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, txStatus());
    }

    @Test
    void releaseWithNoTxQueueRunningIsAnsweredAtOnce() throws Exception {
        device("out.raw", true);
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, s16Stereo48k());
        long t0 = System.nanoTime();
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, pcm(VirtioSndCode.VIRTIO_SND_R_PCM_RELEASE, 0));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "nothing to wait for");
    }

    @Test
    void framesSharingABufferWithTheHeaderArePlayedInOrder() throws Exception {
        device("out.raw", false);
        s16Stereo48k();
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_START, 0);
        byte[] first = le(4 + 8).putInt(0).putLong(0x0807060504030201L).array();
        txMem.write(txReq + 1000, first, 0, first.length);
        txMem.write(txReq, new byte[] {9, 10, 11, 12}, 0, 4);
        tx.driver().addOut(txReq + 1000, first.length).addOut(txReq, 4).addIn(txResp, 8).submit(1);
        assertEquals(8, tx.offer(snd, TXQ));
        assertEquals(VirtioSndCode.VIRTIO_SND_S_OK, txStatus());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Files.readAllBytes(dir.resolve("out.raw")));
    }

    @Test
    void malformedTransfersGetAStatusNotAnException() throws Exception {
        device("out.raw", false);
        s16Stereo48k();
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_START, 0);
        assertEquals(8, submitTx(new byte[6], 0));
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, txStatus(), "not whole frames");
        assertEquals(8, submitTx(new byte[8], 5));
        assertEquals(VirtioSndCode.VIRTIO_SND_S_BAD_MSG, txStatus(), "no stream 5");
        tx.driver().addOut(txReq, 2).addIn(txResp, 8).submit(1);
        assertEquals(0, tx.offer(snd, TXQ), "too short for the transfer header");
        assertEquals(0, snd.playedBytes());
    }

    @Test
    void wavOutputHasAHeaderThatMatchesTheStream() throws Exception {
        device("out.wav", false);
        s16Stereo48k();
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_START, 0);
        submitTx(new byte[2048], 0);
        submitTx(new byte[2048], 0);
        ByteBuffer wav = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("out.wav"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 4096, wav.capacity());
        assertEquals(36 + 4096, wav.getInt(4), "RIFF size");
        assertEquals(1, wav.getShort(20), "PCM");
        assertEquals(2, wav.getShort(22), "channels");
        assertEquals(48000, wav.getInt(24), "rate");
        assertEquals(48000 * 4, wav.getInt(28), "byte rate");
        assertEquals(4, wav.getShort(32), "frame bytes");
        assertEquals(16, wav.getShort(34), "bits");
        assertEquals(4096, wav.getInt(40), "data size");
        // A new format after a release starts a second file rather than corrupting the first.
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_STOP, 0);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_RELEASE, 0);
        setParams(0, 800, 400, 1, VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U8, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_8000);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_START, 0);
        submitTx(new byte[400], 0);
        assertEquals(44 + 400, Files.size(dir.resolve("out-2.wav")));
        assertEquals(44 + 4096, Files.size(dir.resolve("out.wav")));
    }

    @Test
    void realTimePlaybackHoldsEachPeriodForItsDuration() throws Exception {
        device("out.raw", true);
        // U8 mono at 8 kHz: 800 bytes are 100 ms of sound.
        setParams(0, 1600, 800, 1, VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U8, VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_8000);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_PREPARE, 0);
        pcm(VirtioSndCode.VIRTIO_SND_R_PCM_START, 0);
        CountDownLatch woken = new CountDownLatch(1);
        snd.queueStarted(TXQ, woken::countDown);
        long t0 = System.nanoTime();
        assertEquals(VirtioDevice.DEFER, submitTx(new byte[800], 0), "the period has not been played yet");
        assertTrue(woken.await(10, TimeUnit.SECONDS), "the playback clock wakes the queue");
        assertEquals(8, tx.offer(snd, TXQ));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(95),
                "a 100 ms period is not returned before it could have played");
        assertEquals(800, snd.playedBytes());
    }
}
