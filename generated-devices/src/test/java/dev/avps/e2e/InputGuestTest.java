package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.input.EvdevCodes;
import dev.avps.devices.input.InputDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: Linux 7.3's virtio_input driver through QEMU 11's vhost-user-input-pci and our
 * backend. The guest sees the keyboard's identity, switches Caps Lock on (which reaches the
 * host on the status queue), and the key presses the host sends back arrive at /dev/input.
 */
class InputGuestTest {

    @TempDir
    Path dir;

    @Test
    void keysReachTheGuestAndLedsReachTheHost() throws Exception {
        Guest guest = Guest.lab();
        InputDevice kbd = InputDevice.builder("AVPS keyboard").serial("avps-kbd-1").ids(EvdevCodes.BUS_VIRTUAL, 0x1af4,
                0x0a5e, 3).key(EvdevCodes.KEY_A).key(EvdevCodes.KEY_B).led(EvdevCodes.LED_NUML)
                .led(EvdevCodes.LED_CAPSL).build();
        List<int[]> status = new CopyOnWriteArrayList<>();
        kbd.onStatus((type, code, value) -> {
            status.add(new int[] {type, code, value});
            if (type == EvdevCodes.EV_LED && code == EvdevCodes.LED_CAPSL && value == 1) {
                // The guest is listening now: answer with a press and release of A, then B.
                kbd.key(EvdevCodes.KEY_A, true);
                kbd.key(EvdevCodes.KEY_A, false);
                kbd.key(EvdevCodes.KEY_B, true);
                kbd.key(EvdevCodes.KEY_B, false);
            }
        });
        Path sock = dir.resolve("input.sock");
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, kbd)) {
            out = guest.module("virtio_input").module("evdev")
                    .qemu("-chardev", "socket,id=in0,path=" + sock, "-device", "vhost-user-input-pci,chardev=in0")
                    .script(String.join("\n",
                            "for d in /sys/class/input/input*; do",
                            "  [ \"$(cat $d/name)\" = 'AVPS keyboard' ] && dev=$d",
                            "done",
                            "echo name=$(cat $dev/name)",
                            "echo vendor=$(cat $dev/id/vendor) product=$(cat $dev/id/product)",
                            "echo version=$(cat $dev/id/version)",
                            "echo keys=$(cat $dev/capabilities/key | tr ' ' _)",
                            "echo leds=$(cat $dev/capabilities/led)",
                            "ev=$(ls $dev | grep '^event')",
                            "cat /dev/input/$ev > /tmp/events &",
                            "reader=$!",
                            "sleep 1",
                            // struct input_event on x86_64: 16 bytes of time, type, code, value.
                            "printf '\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\021\\0\\001\\0\\001\\0\\0\\0'"
                                    + " > /dev/input/$ev",
                            "for i in $(seq 1 100); do",
                            "  [ $(stat -c %s /tmp/events) -ge 192 ] && break",
                            "  sleep 0.1",
                            "done",
                            "sleep 0.5",
                            "kill $reader",
                            "echo events=$(hexdump -v -e '24/1 \"%02x\" \" \"' /tmp/events)"))
                    .boot(dir, 256, 180);
        }
        assertEquals("AVPS keyboard", BlkGuestTest.value(out, "name"), out);
        assertTrue(out.contains("vendor=1af4 product=0a5e"), out);
        assertEquals("0003", BlkGuestTest.value(out, "version"));
        assertEquals("3", BlkGuestTest.value(out, "leds"), "NUML and CAPSL");
        assertTrue(status.stream().anyMatch(s -> s[0] == EvdevCodes.EV_LED && s[1] == EvdevCodes.LED_CAPSL
                && s[2] == 1), "the guest's Caps Lock reached the host's status queue");
        List<String> keys = new ArrayList<>();
        for (String rec : BlkGuestTest.value(out, "events").split(" ")) {
            byte[] b = HexFormat.of().parseHex(rec);
            int type = (b[16] & 0xff) | (b[17] & 0xff) << 8;
            int code = (b[18] & 0xff) | (b[19] & 0xff) << 8;
            int value = (b[20] & 0xff) | (b[21] & 0xff) << 8 | (b[22] & 0xff) << 16 | (b[23] & 0xff) << 24;
            if (type == EvdevCodes.EV_KEY) {
                keys.add(code + ":" + value);
            }
        }
        assertEquals(List.of(EvdevCodes.KEY_A + ":1", EvdevCodes.KEY_A + ":0", EvdevCodes.KEY_B + ":1",
                EvdevCodes.KEY_B + ":0"), keys, "the host's key events, in order, through the guest's evdev:\n" + out);
        assertEquals(0, kbd.dropped());
    }
}
