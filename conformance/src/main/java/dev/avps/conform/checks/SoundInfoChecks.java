package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.model.DeviceModel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * virtio-snd's information requests (VIRTIO 1.4 5.14.6.4, 5.14.6.6.2, 5.14.6.9): every jack,
 * stream and channel map the config counts is asked for in one request, and each entry is held
 * to the values the chapter defines (the catalog's enums) and to zero padding. A device without
 * jacks or channel maps has nothing to judge: skipped. The control elements are
 * {@link SoundCtlChecks}.
 */
public final class SoundInfoChecks implements CheckFamily {

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("sound");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("snd_jack_info_defined", "JACK_INFO for every jack: OK; features only VIRTIO_SND_JACK_F_* bits;"
                        + " padding zero (skipped without jacks).", SoundInfoChecks::jackInfo),
                new Check("snd_pcm_info_defined", "PCM_INFO for every stream: OK; features, formats and rates only defined"
                        + " bits, a defined direction, channels_min <= channels_max, padding zero.", SoundInfoChecks::pcmInfo),
                new Check("snd_chmap_info_defined", "CHMAP_INFO for every channel map: OK; a defined direction, channels at"
                        + " most VIRTIO_SND_CHMAP_MAX_SIZE (skipped without channel maps).", SoundInfoChecks::chmapInfo));
    }

    /** Non-zero bytes of entry {@code i}'s field {@code field}, described; empty when all zero. */
    private static String nonZero(ByteBuffer b, int at, int len, String what) {
        List<String> bad = new ArrayList<>();
        for (int k = 0; k < len; k++) {
            if (b.get(at + k) != 0) {
                bad.add("byte " + k + " = 0x" + Integer.toHexString(b.get(at + k) & 0xff));
            }
        }
        return bad.isEmpty() ? "" : what + " not zero (" + String.join(", ", bad) + ")";
    }

    private static void jackInfo(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        if (c.jacks == 0) {
            throw Inapplicable.skip("the device has no jacks (config jacks = 0)");
        }
        int size = c.struct("virtio_snd_jack_info").size();
        SoundCard.Reply r = c.queryInfo("JACK_INFO", 0, c.jacks, size);
        c.ok(r.code(), "JACK_INFO for jacks 0.." + (c.jacks - 1));
        long defined = c.definedBits("virtio_snd_jack_features");
        int features = c.offset("virtio_snd_jack_info", "features");
        int padding = c.offset("virtio_snd_jack_info", "padding");
        List<String> bad = new ArrayList<>();
        ByteBuffer b = r.le();
        for (int i = 0; i < c.jacks; i++) {
            long f = b.getInt(i * size + features) & 0xffffffffL;
            if ((f & ~defined) != 0) {
                bad.add("jack " + i + ": undefined feature bits 0x" + Long.toHexString(f & ~defined));
            }
            String pad = nonZero(b, i * size + padding, size - padding, "jack " + i + ": padding");
            if (!pad.isEmpty()) {
                bad.add(pad);
            }
        }
        CheckFailure.require(bad.isEmpty(), String.join("; ", bad));
        ctx.note(c.jacks + " jack(s) described with defined bits and zero padding");
    }

    private static void pcmInfo(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        if (c.streams == 0) {
            throw Inapplicable.skip("the device has no PCM streams (config streams = 0)");
        }
        int size = c.struct("virtio_snd_pcm_info").size();
        ByteBuffer b = c.pcmInfos();
        long features = c.definedBits("virtio_snd_pcm_features");
        long formats = c.definedBits("virtio_snd_pcm_format");
        long rates = c.definedBits("virtio_snd_pcm_rate");
        int padding = c.offset("virtio_snd_pcm_info", "padding");
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < c.streams; i++) {
            int at = i * size;
            String s = "stream " + i + ": ";
            long f = b.getInt(at + c.offset("virtio_snd_pcm_info", "features")) & 0xffffffffL;
            long fm = b.getLong(at + c.offset("virtio_snd_pcm_info", "formats"));
            long rt = b.getLong(at + c.offset("virtio_snd_pcm_info", "rates"));
            int dir = b.get(at + c.offset("virtio_snd_pcm_info", "direction")) & 0xff;
            int min = b.get(at + c.offset("virtio_snd_pcm_info", "channels_min")) & 0xff;
            int max = b.get(at + c.offset("virtio_snd_pcm_info", "channels_max")) & 0xff;
            if ((f & ~features) != 0) {
                bad.add(s + "undefined feature bits 0x" + Long.toHexString(f & ~features));
            }
            if ((fm & ~formats) != 0) {
                bad.add(s + "undefined format bits 0x" + Long.toHexString(fm & ~formats));
            }
            if ((rt & ~rates) != 0) {
                bad.add(s + "undefined rate bits 0x" + Long.toHexString(rt & ~rates));
            }
            if (!c.definedValue("virtio_snd_direction", dir)) {
                bad.add(s + "undefined direction " + dir);
            }
            if (min > max) {
                bad.add(s + "channels_min " + min + " > channels_max " + max);
            }
            String pad = nonZero(b, at + padding, size - padding, s + "padding");
            if (!pad.isEmpty()) {
                bad.add(pad);
            }
        }
        CheckFailure.require(bad.isEmpty(), String.join("; ", bad));
        ctx.note(c.streams + " stream(s) described with defined values and zero padding");
    }

    private static void chmapInfo(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        if (c.chmaps == 0) {
            throw Inapplicable.skip("the device has no channel maps (config chmaps = 0)");
        }
        int size = c.struct("virtio_snd_chmap_info").size();
        SoundCard.Reply r = c.queryInfo("CHMAP_INFO", 0, c.chmaps, size);
        c.ok(r.code(), "CHMAP_INFO for maps 0.." + (c.chmaps - 1));
        long most = c.constant("VIRTIO_SND_CHMAP_MAX_SIZE");
        List<String> bad = new ArrayList<>();
        ByteBuffer b = r.le();
        for (int i = 0; i < c.chmaps; i++) {
            int dir = b.get(i * size + c.offset("virtio_snd_chmap_info", "direction")) & 0xff;
            int channels = b.get(i * size + c.offset("virtio_snd_chmap_info", "channels")) & 0xff;
            if (!c.definedValue("virtio_snd_direction", dir)) {
                bad.add("map " + i + ": undefined direction " + dir);
            }
            if (channels > most) {
                bad.add("map " + i + ": " + channels + " channels, more than VIRTIO_SND_CHMAP_MAX_SIZE (" + most + ")");
            }
        }
        CheckFailure.require(bad.isEmpty(), String.join("; ", bad));
        ctx.note(c.chmaps + " channel map(s) with defined directions and at most " + most + " channels");
    }
}
