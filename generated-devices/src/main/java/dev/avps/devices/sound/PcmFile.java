package dev.avps.devices.sound;

import dev.avps.generated.sound.VirtioSndPcmFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where played frames go: a raw PCM file (bytes exactly as the driver sent them) or, for a
 * {@code .wav} name, a RIFF/WAVE file whose header is brought up to date after every write so
 * the file is playable even if the backend is killed mid-stream.
 */
final class PcmFile implements Closeable {

    private static final int WAV_HEADER = 44;

    private final FileChannel ch;
    private final boolean wav;
    private final PcmParams params;
    private long dataBytes;
    private final ByteBuffer sizes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

    private PcmFile(FileChannel ch, boolean wav, PcmParams params) {
        this.ch = ch;
        this.wav = wav;
        this.params = params;
    }

    static boolean isWav(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".wav");
    }

    /** Opens {@code path} for a stream with {@code params}; a WAV file is created anew, a raw one appended to. */
    static PcmFile open(Path path, PcmParams params) throws IOException {
        boolean wav = isWav(path);
        if (wav && !wavCanHold(params)) {
            throw new IOException("a WAV file cannot hold " + params + "; use a raw output file");
        }
        FileChannel ch = wav
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
        PcmFile f = new PcmFile(ch, wav, params);
        if (wav) {
            f.writeHeader();
        }
        return f;
    }

    /** Plain integer PCM only: unsigned 8-bit and signed 16/32-bit little-endian, as WAVE defines them. */
    static boolean wavCanHold(PcmParams p) {
        return p.format() == VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U8
                || p.format() == VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16
                || p.format() == VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S32;
    }

    PcmParams params() {
        return params;
    }

    void write(ByteBuffer frames) throws IOException {
        int n = frames.remaining();
        while (frames.hasRemaining()) {
            if (wav) {
                ch.write(frames, WAV_HEADER + dataBytes + (n - frames.remaining()));
            } else {
                ch.write(frames);
            }
        }
        dataBytes += n;
        if (wav) {
            putInt(4, 36 + dataBytes);
            putInt(40, dataBytes);
        }
    }

    private void writeHeader() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(WAV_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        int frame = params.frameBytes();
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1) // PCM
                .putShort((short) params.channels()).putInt(params.hz()).putInt(params.hz() * frame)
                .putShort((short) frame).putShort((short) (params.sampleBytes() * 8))
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0).flip();
        while (h.hasRemaining()) {
            ch.write(h, h.position());
        }
    }

    private void putInt(long at, long value) throws IOException {
        sizes.clear();
        sizes.putInt((int) Math.min(value, 0xffffffffL)).flip();
        while (sizes.hasRemaining()) {
            ch.write(sizes, at + sizes.position());
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
