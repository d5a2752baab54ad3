package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.console.ConsoleDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: Linux 7.3's own virtio_console driver through QEMU 11's generic
 * vhost-user-test-device-pci and our backend, with MULTIPORT and two named ports. QEMU's
 * arguments are the ones {@code avps qemu-args} derives from the model for exactly the features
 * the backend offers, so the queue count and config size the guest sees come from the model.
 * The guest finds the console (hvc0) and the ports' names in sysfs; text goes both ways on the
 * console and on a named port, checked on both sides. Once the guest speaks, the host resizes the
 * console (a RESIZE control message: the guest's hvc0 reports the new rows and columns) and
 * unplugs port 2 (PORT_REMOVE: it leaves the guest's sysfs).
 */
class ConsoleGuestTest {

    @TempDir
    Path dir;

    /** `avps qemu-args` run in-process over the catalog, one argument per line. */
    static List<String> qemuArgs(ConsoleDevice d, Path socket) {
        List<String> cli = new ArrayList<>(List.of("--device", "console", "--socket", socket.toString(), "--id", "con0"));
        if (!d.offeredFeatureNames().isEmpty()) {
            cli.addAll(List.of("--features", String.join(",", d.offeredFeatureNames())));
        }
        if (d.portCount() > 1) {
            cli.addAll(List.of("--config", "max_nr_ports=" + d.config().maxNrPorts()));
        }
        return ModelQemuArgs.of(cli.toArray(String[]::new));
    }

    @Test
    void textCrossesTheConsoleAndANamedPortBothWays() throws Exception {
        Guest guest = Guest.lab();
        ConsoleDevice console = new ConsoleDevice(List.of("org.avps.one", "org.avps.two"));
        ByteArrayOutputStream[] fromGuest = {new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                new ByteArrayOutputStream()};
        console.onOutput((port, data) -> {
            synchronized (fromGuest) {
                fromGuest[port].writeBytes(data);
                // The guest says it is listening on the console (its tty open and raw): answer there.
                if (port == 0 && fromGuest[0].toString(StandardCharsets.US_ASCII).contains("guest-on-hvc0")
                        && console.present(2)) {
                    console.send(0, "host-on-hvc0\n".getBytes(StandardCharsets.US_ASCII));
                    console.resize(COLS, ROWS);
                    console.removePort(2);
                }
            }
        });
        // A generic port's driver drops what arrives before a program opens it: speak once it is open.
        Set<Integer> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();
        console.onOpen((port, open) -> {
            if (open) {
                opened.add(port);
            }
            if (port == 1 && open) {
                console.send(1, "host-on-one\n".getBytes(StandardCharsets.US_ASCII));
            }
        });
        Path sock = dir.resolve("console.sock");
        List<String> args = qemuArgs(console, sock);
        assertTrue(args.contains("-device") && args.stream().anyMatch(a -> a.startsWith("vhost-user-test-device-pci,")
                && a.contains("virtio-id=3") && a.contains("num_vqs=8") && a.contains("config_size=12")), args.toString());
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, console)) {
            out = guest.module("virtio_console").qemu(args.toArray(String[]::new))
                    .script(String.join("\n",
                            "for p in /sys/class/virtio-ports/*; do",
                            "  n=$(cat $p/name 2>/dev/null)",
                            "  echo port=$(basename $p):$n",
                            "  [ \"$n\" = org.avps.one ] && one=/dev/$(basename $p)",
                            "done",
                            "echo hvc=$(ls /dev | grep '^hvc' | tr '\\n' ' ')",
                            // Keep the console's tty open while it is made raw, so nothing is echoed or lost.
                            "exec 3<>/dev/hvc0",
                            "busybox stty -F /dev/hvc0 raw -echo",
                            "cat <&3 > /tmp/hvc &",
                            "r0=$!",
                            "echo guest-on-hvc0 >&3",
                            "exec 4<>$one",
                            "cat <&4 > /tmp/one &",
                            "r1=$!",
                            "echo guest-on-one >&4",
                            "for i in $(seq 1 100); do",
                            "  grep -q host-on-hvc0 /tmp/hvc && grep -q host-on-one /tmp/one"
                                    + " && [ \"$(busybox stty -F /dev/hvc0 size)\" = '" + ROWS + " " + COLS + "' ]"
                                    + " && [ $(ls /sys/class/virtio-ports | wc -l) = 2 ] && break",
                            "  sleep 0.1",
                            "done",
                            "kill $r0 $r1",
                            "echo size=$(busybox stty -F /dev/hvc0 size)",
                            "for p in /sys/class/virtio-ports/*; do echo left=$(basename $p):$(cat $p/name); done",
                            "echo got-hvc=$(cat /tmp/hvc)",
                            "echo got-one=$(cat /tmp/one)"))
                    .boot(dir, 256, 240);
        }
        Set<String> names = new TreeSet<>();
        out.lines().filter(l -> l.startsWith("port=")).forEach(l -> names.add(l.substring(l.indexOf(':') + 1)));
        assertEquals(Set.of("", "org.avps.one", "org.avps.two"), names,
                "three ports in sysfs, the console unnamed and the two named:\n" + out);
        assertTrue(BlkGuestTest.value(out, "hvc").contains("hvc0"), out);
        assertEquals("host-on-hvc0", BlkGuestTest.value(out, "got-hvc").trim(), "the host's text on the guest's hvc0:\n"
                + out);
        assertEquals("host-on-one", BlkGuestTest.value(out, "got-one").trim(), "the host's text on the named port:\n"
                + out);
        synchronized (fromGuest) {
            assertTrue(fromGuest[0].toString(StandardCharsets.US_ASCII).contains("guest-on-hvc0\n"),
                    "the guest's console text at the host: " + fromGuest[0]);
            assertEquals("guest-on-one\n", fromGuest[1].toString(StandardCharsets.US_ASCII),
                    "the guest's text on port 1 at the host");
            assertEquals(0, fromGuest[2].size(), "nothing was written to port 2");
        }
        // The driver opens the console itself once it is one (CONSOLE_PORT); port 1 the script opened.
        assertEquals(Set.of(0, 1), opened, "the ports the guest opened (PORT_OPEN)");
        assertEquals(ROWS + " " + COLS, BlkGuestTest.value(out, "size").trim(),
                "the guest's hvc0 took the host's size (stty prints rows, then columns):\n" + out);
        Set<String> left = new TreeSet<>();
        out.lines().filter(l -> l.startsWith("left=")).forEach(l -> left.add(l.substring(l.indexOf(':') + 1)));
        assertEquals(Set.of("", "org.avps.one"), left, "port 2 was unplugged:\n" + out);
        assertEquals(0, console.refusals(), console.lastRefusal());
    }

    /** Distinct values, so a driver that read the two fields the other way round would show it. */
    static final int COLS = 120;
    static final int ROWS = 43;
}
