package dev.avps.devices.sound;

import dev.avps.generated.sound.VirtioSndPcmFormat;
import dev.avps.generated.sound.VirtioSndPcmRate;

/** The stream geometry the driver chose with SET_PARAMS, in the catalog's wire codes. */
public record PcmParams(int format, int rate, int channels, long bufferBytes, long periodBytes) {

    /** Rates in Hz, indexed by VIRTIO_SND_PCM_RATE_* (facts from the spec's rate table). */
    private static final int[] HZ = {5512, 8000, 11025, 16000, 22050, 32000, 44100, 48000, 64000, 88200, 96000,
            176400, 192000, 384000};

    public int hz() {
        return rate >= 0 && rate < HZ.length ? HZ[rate] : 0;
    }

    /** Bytes of one sample as stored in the buffer (0 for formats this backend does not play). */
    public int sampleBytes() {
        return switch (format) {
            case VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U8, VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S8 -> 1;
            case VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S16, VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U16 -> 2;
            case VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_S32, VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U32 -> 4;
            default -> 0;
        };
    }

    public int frameBytes() {
        return sampleBytes() * channels;
    }

    /** How long {@code bytes} of audio take to play, in nanoseconds. */
    public long nanosFor(long bytes) {
        long perSecond = (long) frameBytes() * hz();
        return perSecond == 0 ? 0 : bytes * 1_000_000_000L / perSecond;
    }

    @Override
    public String toString() {
        return VirtioSndPcmFormat.name(format) + " " + hz() + " Hz x" + channels + ", buffer " + bufferBytes
                + " B, period " + periodBytes + " B";
    }

    static {
        // The table above must agree with the catalog's numbering.
        if (HZ[VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_48000] != 48000
                || HZ[VirtioSndPcmRate.VIRTIO_SND_PCM_RATE_8000] != 8000) {
            throw new ExceptionInInitializerError("PCM rate table out of step with sound.avps");
        }
    }
}
