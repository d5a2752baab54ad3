package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A session on a sound device with its configuration read, and the control requests the sound
 * checks send, built from the catalog's codes. The response's {@code le32 code} is untyped in the
 * catalog, so statuses are judged here with the {@code virtio_snd_code} literals.
 */
final class SoundCard {
    static final int CONTROLQ = 0;
    static final int EVENTQ = 1;
    static final int TXQ = 2;
    static final int RXQ = 3;

    final CheckContext ctx;
    final Session s;
    final DeviceModel d;
    final long jacks;
    final long streams;
    final long chmaps;
    /** -1 without CTLS. */
    final long controls;

    SoundCard(CheckContext ctx) throws Exception {
        this.ctx = ctx;
        this.d = ctx.device();
        this.s = ctx.open();
        if (!s.hasConfig()) {
            throw Inapplicable.notCheckable("no CONFIG protocol feature: how many jacks, streams and maps exist is unknown");
        }
        boolean ctls = (s.negotiated() & ctx.bit("CTLS")) != 0;
        ByteBuffer c = ByteBuffer.wrap(s.config(ctls ? 16 : 12)).order(ByteOrder.LITTLE_ENDIAN);
        jacks = c.getInt(configOffset("jacks")) & 0xffffffffL;
        streams = c.getInt(configOffset("streams")) & 0xffffffffL;
        chmaps = c.getInt(configOffset("chmaps")) & 0xffffffffL;
        controls = ctls ? c.getInt(configOffset("controls")) & 0xffffffffL : -1;
    }

    private int configOffset(String field) {
        return d.config().field(field).map(FieldLayout::offset)
                .orElseThrow(() -> new IllegalStateException("the catalog's sound config has no " + field));
    }

    long code(String name) {
        return Literals.value(d, "virtio_snd_code", "VIRTIO_SND_" + name);
    }

    String codeName(long v) {
        return enumNamed("virtio_snd_code").literals().stream().filter(l -> l.value().longValue() == v)
                .map(l -> l.name().replace("VIRTIO_SND_", "")).findFirst().orElse("code 0x" + Long.toHexString(v));
    }

    EnumModel enumNamed(String name) {
        return d.enums().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's sound has no enum " + name));
    }

    /** The bits an enum of bit numbers defines, as a mask. */
    long definedBits(String enumName) {
        long m = 0;
        for (var l : enumNamed(enumName).literals()) {
            m |= 1L << l.value().intValue();
        }
        return m;
    }

    boolean definedValue(String enumName, long v) {
        return enumNamed(enumName).literals().stream().anyMatch(l -> l.value().longValue() == v);
    }

    StructLayout struct(String name) {
        return d.structs().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's sound has no struct " + name));
    }

    int offset(String struct, String field) {
        return struct(struct).field(field).map(FieldLayout::offset)
                .orElseThrow(() -> new IllegalStateException(struct + " has no field " + field));
    }

    long constant(String name) {
        return d.constants().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog's sound has no constant " + name)).value().longValue();
    }

    /** A control request's answer: its status code and the bytes after it. */
    record Reply(long code, byte[] body) {
        ByteBuffer le() {
            return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Sends {@code request} on the control queue with {@code bodyBytes} writable after the status. */
    Reply control(byte[] request, int bodyBytes) throws Exception {
        Exchange e = s.exchange(CONTROLQ).out(request).in(4);
        if (bodyBytes > 0) {
            e.in(bodyBytes);
        }
        Exchange.Result r = e.run();
        CheckFailure.require(r.damage().isEmpty(), "control request 0x" + Integer.toHexString(
                ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).getInt(0)) + ": " + r.damage());
        ByteBuffer w = ByteBuffer.wrap(r.written()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] body = new byte[bodyBytes];
        System.arraycopy(r.written(), 4, body, 0, bodyBytes);
        return new Reply(w.getInt(0) & 0xffffffffL, body);
    }

    /** VIRTIO_SND_R_*_INFO for items start..start+count-1 of {@code size} bytes each. */
    Reply queryInfo(String request, long start, long count, int size) throws Exception {
        byte[] q = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) code("R_" + request))
                .putInt((int) start).putInt((int) count).putInt(size).array();
        return control(q, (int) (count * size));
    }

    /** A PCM request addressed to one stream (PREPARE, RELEASE, START, STOP). */
    long pcm(String request, long stream) throws Exception {
        return control(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) code("R_PCM_" + request))
                .putInt((int) stream).array(), 0).code();
    }

    long setParams(long stream, Pcm p) throws Exception {
        byte[] q = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt((int) code("R_PCM_SET_PARAMS"))
                .putInt((int) stream).putInt(p.bufferBytes()).putInt(p.periodBytes()).putInt(0).put((byte) p.channels())
                .put((byte) p.format()).put((byte) p.rate()).put((byte) 0).array();
        return control(q, 0).code();
    }

    /** Fails unless {@code got} is S_OK. */
    void ok(long got, String what) throws CheckFailure {
        CheckFailure.require(got == code("S_OK"), what + ": " + codeName(got) + ", expected S_OK");
    }

    /** Every stream's virtio_snd_pcm_info; fails unless the device answers OK. */
    ByteBuffer pcmInfos() throws Exception {
        int size = struct("virtio_snd_pcm_info").size();
        Reply r = queryInfo("PCM_INFO", 0, streams, size);
        ok(r.code(), "PCM_INFO for streams 0.." + (streams - 1));
        return r.le();
    }

    /**
     * Stream geometry: {@code periods} periods of {@code periodMillis} each, at the stream's
     * lowest offered rate, its fewest channels and the first offered format whose sample size this
     * front end knows.
     */
    record Pcm(long stream, int format, int rate, int hz, int channels, int frameBytes, int periodBytes, int periods) {
        int bufferBytes() {
            return periodBytes * periods;
        }

        /** Nanoseconds {@code bytes} of frames take to play. */
        long nanosFor(long bytes) {
            return bytes / frameBytes * 1_000_000_000L / hz;
        }
    }

    /** Frame rates in Hz by VIRTIO_SND_PCM_RATE_* literal (the spec's table). */
    private static final String[][] RATE_HZ = {{"5512", "5512"}, {"8000", "8000"}, {"11025", "11025"}, {"16000", "16000"},
        {"22050", "22050"}, {"32000", "32000"}, {"44100", "44100"}, {"48000", "48000"}, {"64000", "64000"},
        {"88200", "88200"}, {"96000", "96000"}, {"176400", "176400"}, {"192000", "192000"}, {"384000", "384000"}};

    /** Bytes per sample of the formats whose storage the spec fixes, in order of preference. */
    private static final String[][] SAMPLE_BYTES = {{"S16", "2"}, {"U16", "2"}, {"S8", "1"}, {"U8", "1"}, {"S32", "4"},
        {"U32", "4"}, {"FLOAT", "4"}, {"S24", "4"}, {"U24", "4"}, {"FLOAT64", "8"}};

    /**
     * The first stream of {@code direction} ("OUTPUT", "INPUT") and a geometry it offers; skips
     * when no stream goes that way.
     */
    Pcm stream(String direction, int periodMillis, int periods) throws Exception {
        if (streams == 0) {
            throw Inapplicable.skip("the device has no PCM streams");
        }
        ByteBuffer info = pcmInfos();
        int size = struct("virtio_snd_pcm_info").size();
        long dir = Literals.value(d, "virtio_snd_direction", "VIRTIO_SND_D_" + direction);
        for (int i = 0; i < streams; i++) {
            int at = i * size;
            if ((info.get(at + offset("virtio_snd_pcm_info", "direction")) & 0xff) != dir) {
                continue;
            }
            long formats = info.getLong(at + offset("virtio_snd_pcm_info", "formats"));
            long rates = info.getLong(at + offset("virtio_snd_pcm_info", "rates"));
            int channels = Math.max(1, info.get(at + offset("virtio_snd_pcm_info", "channels_min")) & 0xff);
            int format = -1;
            int sample = 0;
            for (String[] f : SAMPLE_BYTES) {
                int bit = (int) Literals.value(d, "virtio_snd_pcm_format", "VIRTIO_SND_PCM_FMT_" + f[0]);
                if ((formats >>> bit & 1) != 0) {
                    format = bit;
                    sample = Integer.parseInt(f[1]);
                    break;
                }
            }
            int rate = -1;
            int hz = 0;
            for (String[] r : RATE_HZ) {
                int bit = (int) Literals.value(d, "virtio_snd_pcm_rate", "VIRTIO_SND_PCM_RATE_" + r[0]);
                if ((rates >>> bit & 1) != 0) {
                    rate = bit;
                    hz = Integer.parseInt(r[1]);
                    break;
                }
            }
            if (format < 0 || rate < 0) {
                throw Inapplicable.notCheckable("stream " + i + " offers no format (0x" + Long.toHexString(formats)
                        + ") or rate (0x" + Long.toHexString(rates) + ") this front end can size frames for");
            }
            int frame = sample * channels;
            int periodBytes = (int) ((long) hz * periodMillis / 1000) * frame;
            return new Pcm(i, format, rate, hz, channels, frame, periodBytes, periods);
        }
        throw Inapplicable.skip("the device has no " + direction.toLowerCase() + " stream");
    }

    /** SET_PARAMS and PREPARE; a device refusing what its own info offers leaves nothing to judge. */
    void prepare(Pcm p) throws Exception {
        long set = setParams(p.stream(), p);
        if (set != code("S_OK")) {
            throw Inapplicable.notCheckable("SET_PARAMS of stream " + p.stream() + " with what its info offers got "
                    + codeName(set) + ", so no I/O could be made pending");
        }
        long prep = pcm("PREPARE", p.stream());
        if (prep != code("S_OK")) {
            throw Inapplicable.notCheckable("PREPARE of stream " + p.stream() + " got " + codeName(prep));
        }
    }

    /** One period of tx frames for {@code stream} (silence), not yet submitted. */
    Exchange tx(Pcm p) throws Exception {
        byte[] xfer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) p.stream()).array();
        return s.exchange(TXQ).out(xfer).out(new byte[p.periodBytes()]).in(struct("virtio_snd_pcm_status").size());
    }

    /** One period of rx room for {@code stream}, then the status, not yet submitted. */
    Exchange rx(Pcm p) throws Exception {
        byte[] xfer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) p.stream()).array();
        return s.exchange(RXQ).out(xfer).in(p.periodBytes()).in(struct("virtio_snd_pcm_status").size());
    }
}
