package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.rng.RngDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes, the report files, usage errors. */
class ConformCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ConformCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void aPassingBackendExitsZeroAndWritesBothReports() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("rng.sock"), new RngDevice())) {
            int code = run("--device", "rng", "--socket", server.path().toString(), "--report",
                    dir.resolve("r").toString());
            assertEquals(0, code, out + "\n" + err);
        }
        String html = Files.readString(dir.resolve("r/rng.html"));
        assertTrue(html.contains("rng_buffer_filled") && html.contains("rng_some_bytes"), html);
        assertTrue(html.contains("avps/virtio/rng.avps:"), "catalog requirements link to their line: " + html);
        String xml = Files.readString(dir.resolve("r/TEST-avps-conform-rng.xml"));
        assertTrue(xml.contains("<testcase classname=\"avps-conform.rng\" name=\"rng_not_repeating\""), xml);
        assertTrue(xml.contains("failures=\"0\""), xml);
    }

    @Test
    void aFailingBackendExitsOne() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("rng.sock"),
                new Backends.Silent(new RngDevice()))) {
            int code = run("--device", "rng", "--socket", server.path().toString(), "--check", "rng_buffer_filled",
                    "--request-timeout", "200");
            assertEquals(1, code, out + "\n" + err);
            assertTrue(out.toString().contains("failed") && out.toString().contains("NO_COMPLETION"), out.toString());
        }
    }

    @Test
    void aRespawnCommandThatCannotStartStopsTheRunWithItsReason(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int code = run("--device", "rng", "--socket", dir.resolve("none.sock").toString(), "--respawn", "exit 3",
                "--check", "rng_buffer_filled");
        assertEquals(1, code, out + "\n" + err);
        assertTrue(out.toString().contains("starting the backend again: --respawn command exited with status 3"),
                out.toString());
        assertTrue(out.toString().contains("the backend was started 1 time(s) by --respawn"), out.toString());
    }

    @Test
    void usageErrorsExitTwoAndSayWhy() {
        assertEquals(2, run("--device", "nosuch", "--socket", "x"));
        assertTrue(err.toString().contains("no device 'nosuch'"), err.toString());
        assertEquals(2, run("--device", "blk", "--socket", "x", "--features", "NOPE"));
        assertTrue(err.toString().contains("blk has no feature NOPE"), err.toString());
        assertEquals(2, run("--device", "blk"));
        assertEquals(2, run("--device", "blk", "--socket", "x", "--vsock-uds", "/tmp/v"));
        assertTrue(err.toString().contains("--vsock-uds is for --device vsock"), err.toString());
    }

    @Test
    void theVsockHostSocketPathLetsTheHostPeerChecksRun() throws Exception {
        Path uds = dir.resolve("uds");
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("vsock.sock"),
                new dev.avps.devices.vsock.VsockDevice(3, uds.toString()))) {
            String[] args = {"--device", "vsock", "--socket", server.path().toString(), "--check",
                "vsock_credit_respected"};
            assertEquals(0, run(args), out + "\n" + err);
            assertTrue(out.toString().matches("(?s)not checkable +vsock_credit_respected .*--vsock-uds PATH.*"),
                    out.toString());
            out.getBuffer().setLength(0);
            String[] withUds = java.util.Arrays.copyOf(args, args.length + 2);
            withUds[args.length] = "--vsock-uds";
            withUds[args.length + 1] = uds.toString();
            assertEquals(0, run(withUds), out + "\n" + err);
            assertTrue(out.toString().matches("(?s)passed +vsock_credit_respected .*"), out.toString());
        }
    }

    @Test
    void listsTheChecksWithWhatTheyCover() {
        assertEquals(0, run("--device", "blk", "--socket", "unused", "--list"));
        assertTrue(out.toString().contains("blk_ro_write_refused  [blk_ro_write, blk_ro_no_data]"), out.toString());
        // The bracket lists what the catalog's checked by says, nothing the check declares itself.
        assertTrue(out.toString().contains("dev_reserved_config_zero  [blk_unused_zero, blk_unused2_zero]"),
                out.toString());
        assertTrue(out.toString().contains("blk_flush  []"), out.toString());
    }
}
