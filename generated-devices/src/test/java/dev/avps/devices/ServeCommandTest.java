package dev.avps.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `avps-serve` refuses incomplete command lines with a usage error instead of starting half a device. */
class ServeCommandTest {

    @TempDir
    Path dir;

    String run(int expectedExit, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err));
        assertEquals(expectedExit, cl.execute(args), err.toString());
        return err.toString();
    }

    @Test
    void eachDeviceNamesWhatItStillNeeds() {
        String sock = dir.resolve("s.sock").toString();
        assertTrue(run(2, "--device", "sound", "--socket", sock).contains("--output is required for sound"));
        assertTrue(run(2, "--device", "blk", "--socket", sock).contains("--image is required for blk"));
        assertTrue(run(2, "--device", "vsock", "--socket", sock).contains("--uds-prefix is required"));
        assertTrue(run(2, "--device", "piano", "--socket", sock).contains("input, sound"),
                "an unknown device lists the ones that exist");
        assertTrue(run(2, "--device", "piano", "--socket", sock).contains("balloon, rtc"), "rtc is served too");
        assertTrue(run(2, "--device", "rtc", "--socket", sock, "--socket", dir.resolve("t.sock").toString())
                .contains("rtc takes one --socket"));
    }

    @Test
    void aFlashImageMustBeAPowerOfTwo() throws Exception {
        String sock = dir.resolve("s.sock").toString();
        String img = java.nio.file.Files.write(dir.resolve("f.bin"), new byte[3000]).toString();
        assertTrue(run(2, "--device", "spi", "--socket", sock, "--flash", img)
                .contains("--flash: the flash size must be a power of two"));
        StringWriter out = new StringWriter();
        assertEquals(0, new CommandLine(new ServeCommand()).setOut(new PrintWriter(out)).execute("--help"));
        String help = out.toString().replaceAll("\\s+", " "); // picocli wraps the device list where it likes
        assertTrue(help.contains("rtc, spi, can.") && help.contains("--no-answer"), out.toString());
    }

    @Test
    void aSocketModeIsOctalAndAPermissionMode() {
        ServeCommand.Mode mode = new ServeCommand.Mode();
        assertEquals(0660, mode.convert("0660"));
        assertEquals(0600, mode.convert("600"));
        assertEquals(0666, mode.convert("0o666"));
        String sock = dir.resolve("s.sock").toString();
        assertTrue(run(2, "--device", "rng", "--socket", sock, "--socket-mode", "0999")
                .contains("'0999' is not an octal mode"));
        assertTrue(run(2, "--device", "rng", "--socket", sock, "--socket-mode", "01777")
                .contains("is not a permission mode (0 to 0777)"));
        StringWriter out = new StringWriter();
        assertEquals(0, new CommandLine(new ServeCommand()).setOut(new PrintWriter(out)).execute("--help"));
        assertTrue(out.toString().contains("--takeover") && out.toString().contains("--socket-mode"), out.toString());
    }

    @Test
    void aZonedLayoutIsReadFromKeyValuePairsAndRefusedWhenItCannotWork() throws Exception {
        ServeCommand.Zoned zoned = new ServeCommand.Zoned();
        assertEquals(256, zoned.convert("zone-sectors=256,max-append=64").zoneSectors());
        assertEquals(2048, zoned.convert("").zoneSectors(), "every key has a default");
        String sock = dir.resolve("s.sock").toString();
        String img = java.nio.file.Files.write(dir.resolve("d.img"), new byte[4096]).toString();
        assertTrue(run(2, "--device", "blk", "--socket", sock, "--image", img, "--zoned", "granularity=100")
                .contains("granularity 100 must be a multiple of 512"));
        assertTrue(run(2, "--device", "blk", "--socket", sock, "--image", img, "--zoned", "zones=3")
                .contains("'zones=3' is not one of"));
        assertTrue(run(2, "--device", "blk", "--socket", sock, "--image", img, "--read-only", "--zoned")
                .contains("--zoned needs a writable disk"));
    }

    @Test
    void aBalloonNeedsATargetThatFitsNumPagesBeforeTheSocketOpens() {
        String sock = dir.resolve("b.sock").toString();
        assertTrue(run(2, "--device", "balloon", "--socket", sock).contains("--pages is required for balloon"));
        assertTrue(run(2, "--device", "balloon", "--socket", sock, "--pages", "4294967296")
                .contains("--pages: the target is 0 to 2^32-1 pages"));
        assertTrue(run(2, "--device", "balloon", "--socket", sock, "--pages", "-1")
                .contains("--pages: the target is 0 to 2^32-1 pages"));
        assertTrue(!java.nio.file.Files.exists(Path.of(sock)), "no socket for a refused command line");
    }

    @Test
    void consolePortNamesAreCheckedBeforeTheSocketOpens() {
        String sock = dir.resolve("c.sock").toString();
        assertTrue(run(2, "--device", "console", "--socket", sock, "--ports", "ok," + "n".repeat(300))
                .contains("--ports: a port name has 1 to 255 bytes"));
        for (String size : List.of("80", "80x", "x24", "80x24x1", "70000x24", "80x-1", "eightyx24")) {
            assertTrue(run(2, "--device", "console", "--socket", sock, "--size", size)
                    .contains("--size takes COLSxROWS, 0 to 65535 each (e.g. 80x24), not '" + size + "'"), size);
        }
        assertTrue(!java.nio.file.Files.exists(Path.of(sock)), "no socket for a refused command line");
    }

    @Test
    void onlyNetTakesSeveralSocketsAndItsAddressesAreChecked() {
        String a = dir.resolve("a.sock").toString();
        String b = dir.resolve("b.sock").toString();
        assertTrue(run(2, "--device", "rng", "--socket", a, "--socket", b)
                .contains("only net serves several sockets; rng takes one --socket"));
        assertTrue(run(2, "--device", "net", "--socket", a, "--mac", "52:54:00:12:34")
                .contains("'52:54:00:12:34' is not a MAC address"));
        assertTrue(run(2, "--device", "net", "--socket", a, "--mac", "52:54:00:12:34:zz")
                .contains("'52:54:00:12:34:zz' is not a MAC address"));
        assertTrue(run(2, "--device", "net", "--socket", a, "--mac", "52:54:00:12:34:01", "--mac", "52:54:00:12:34:02")
                .contains("2 --mac for 1 --socket"));
        assertTrue(run(2, "--device", "net", "--socket", a, "--host-ip", "10.0.2")
                .contains("'10.0.2' is not an IPv4 address"));
        assertTrue(run(2, "--device", "net", "--socket", a, "--queue-pairs", "0")
                .contains("--queue-pairs must be 1 to 64"));
        StringWriter out = new StringWriter();
        assertEquals(0, new CommandLine(new ServeCommand()).setOut(new PrintWriter(out)).execute("--help"));
        assertTrue(out.toString().contains("--host-ip") && out.toString().contains("--switch"), out.toString());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("a.sock")), "no socket was created for a refused command");
    }
}
