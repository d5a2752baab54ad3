package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.sound.PcmParams;
import dev.avps.devices.sound.SoundDevice;
import dev.avps.generated.sound.VirtioSndPcmFormat;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: Linux 7.3's virtio_snd driver through QEMU 11's vhost-user-snd-pci and our backend.
 * The guest plays random bytes through the kernel's OSS emulation (/dev/dsp: unsigned 8-bit,
 * 8 kHz, mono unless told otherwise, so busybox's cat is the whole player), and the file the
 * backend writes starts with exactly those bytes.
 */
class SoundGuestTest {

    /** Two seconds of sound at 8000 one-byte frames per second. */
    static final int BYTES = 16_000;

    @TempDir
    Path dir;

    @Test
    void playbackLandsInTheHostFile() throws Exception {
        Guest guest = Guest.lab();
        Path raw = dir.resolve("played.raw");
        SoundDevice snd = new SoundDevice(raw, true);
        Path sock = dir.resolve("snd.sock");
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, snd)) {
            out = guest.module("virtio_snd").module("snd_pcm_oss")
                    .qemu("-chardev", "socket,id=snd0,path=" + sock, "-device", "vhost-user-snd-pci,chardev=snd0")
                    .script(String.join("\n",
                            "echo cards=$(cat /proc/asound/cards | head -n 1)",
                            "dd if=/dev/urandom of=/tmp/pcm bs=1000 count=" + BYTES / 1000 + " 2>/dev/null",
                            "set -- $(sha256sum /tmp/pcm)",
                            "echo sha=$1",
                            "cat /tmp/pcm > /dev/dsp && echo played=ok",
                            "dmesg | grep -i 'virtio_snd\\|snd' | tail -n 5"))
                    .boot(dir, 256, 240);
        } finally {
            snd.close();
        }
        assertEquals("ok", BlkGuestTest.value(out, "played"), out);
        assertTrue(BlkGuestTest.value(out, "cards").contains("VirtIO"), out);
        PcmParams p = snd.lastStarted();
        assertEquals(VirtioSndPcmFormat.VIRTIO_SND_PCM_FMT_U8, p.format(), "OSS's default format: " + p);
        assertEquals(8000, p.hz());
        assertEquals(1, p.channels());
        byte[] played = Files.readAllBytes(raw);
        System.out.println("sound: guest played " + BYTES + " bytes, host file has " + played.length + " (" + p + ")");
        assertTrue(played.length >= BYTES, "the host file holds all " + BYTES + " bytes: " + played.length);
        assertEquals(BlkGuestTest.value(out, "sha"), BlkGuestTest.sha256(played, BYTES),
                "the host file starts with exactly the bytes the guest played");
        // After them only the silence OSS pads the last period with: 0x80 is U8's zero level.
        for (int i = BYTES; i < played.length; i++) {
            assertEquals((byte) 0x80, played[i], "byte " + i + " after the guest's data is silence");
        }
    }
}
