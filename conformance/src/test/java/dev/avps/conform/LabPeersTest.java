package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.e2e.Peer;
import dev.avps.e2e.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * avps conform against the interop lab's third-party backends (.ci/lab: Debian trixie's
 * qemu-storage-daemon 11 and virtiofsd), each exporting something scratch. As in QsdTest, a
 * third-party failure is a finding: the test pins the set, listed with what was observed in
 * conformance/README.md, so a change either way shows. Without the lab the tests are skipped
 * (failed under CI=true, which builds it).
 */
class LabPeersTest {
    @TempDir
    Path dir;

    @Test
    void qemuStorageDaemon11() throws Exception {
        Path image = Backends.image(dir, "qsd11.img", 64);
        DeviceReport r;
        try (Peer qsd = Peers.qemuStorageDaemon(Peers.Qsd.V11, dir, image, true, false, "qsd11")) {
            Target t = new Target(qsd.socket(), Backends.catalog("blk")).withTimeouts(2_000, 30_000);
            r = Runner.run(t, "blk: qemu-storage-daemon 11 (interop lab) on " + qsd.socket());
            Backends.keep(r, "qsd-11-blk");
            copyLog(dir.resolve("qsd11.log"), "qsd-11-blk", "qemu-storage-daemon.log");
            assertTrue(qsd.alive(), "qemu-storage-daemon 11 is still running; its log:\n"
                    + Files.readString(dir.resolve("qsd11.log")));
        }
        // The findings, each described in conformance/README.md ("Findings: qemu-storage-daemon 11").
        assertEquals(new TreeSet<>(QSD11_FINDINGS), new TreeSet<>(r.failed()), () -> r.results().toString());
        for (String c : List.of("dev_features_ok_accepted", "dev_config_size", "blk_write_read_back", "blk_flush",
                "blk_beyond_capacity_ioerr")) {
            assertEquals(Verdict.PASSED, r.result(c).verdict(), c + ": " + r.result(c).reason());
        }
        // Without STATUS the pass rests on REPLY_ACK alone, and the verdict says so.
        assertTrue(r.result("dev_features_ok_accepted").reason().contains("partly observed: FEATURES_OK was not read"
                + " back"), r.result("dev_features_ok_accepted").reason());
    }

    @Test
    void virtiofsdGenericChecks() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("hello.txt"), "a file for the share\n");
        DeviceReport r;
        // virtiofsd serves one front end and exits when it disconnects: started again for each connection.
        try (PeerLauncher fsd = new PeerLauncher(() -> Peers.virtiofsd(dir, shared, "virtiofsd"))) {
            Target t = new Target(dir.resolve("virtiofsd.sock"), Backends.catalog("fs")).withTimeouts(2_000, 30_000)
                    .withLauncher(fsd);
            r = Runner.run(t, "fs: virtiofsd (interop lab) on " + t.socket());
            Backends.keep(r, "virtiofsd-fs");
            copyLog(dir.resolve("virtiofsd.log"), "virtiofsd-fs", "virtiofsd.log");
            assertTrue(fsd.starts > 1, "virtiofsd was started " + fsd.starts + " time(s)");
        }
        // The findings, each described in conformance/README.md ("Findings: virtiofsd").
        assertEquals(new TreeSet<>(VIRTIOFSD_FINDINGS), new TreeSet<>(r.failed()), () -> r.results().toString());
        assertEquals(Verdict.PASSED, r.result("dev_offers_version_1").verdict(),
                r.result("dev_offers_version_1").reason());
        assertEquals(Verdict.PASSED, r.result("dev_features_requires").verdict(),
                r.result("dev_features_requires").reason());
    }

    /**
     * The control for the virtiofsd findings: a well-formed FUSE_INIT on the request queue gets a
     * well-formed answer through the same front end, so what the generic checks observe (their
     * zero-filled FUSE headers never answered) is virtiofsd's handling of malformed requests, not
     * a front end virtiofsd cannot talk to.
     */
    @Test
    void virtiofsdAnswersAWellFormedFuseInit() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        try (PeerLauncher fsd = new PeerLauncher(() -> Peers.virtiofsd(dir, shared, "virtiofsd"))) {
            Target t = new Target(dir.resolve("virtiofsd.sock"), Backends.catalog("fs")).withTimeouts(5_000, 30_000);
            try (Session s = Session.open(t, Session.VERSION_1)) {
                // fuse_in_header (40 bytes) + fuse_init_in (64 bytes, protocol 7.31): FUSE_INIT is opcode 26.
                java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(104).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                in.putInt(104).putInt(26).putLong(0x1234).putLong(0).putInt(0).putInt(0).putInt(0).putInt(0);
                in.putInt(7).putInt(31).putInt(0).putInt(0);
                Exchange.Result r = s.exchange(1).out(in.array()).in(16 + 64).run();
                java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(r.written()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                assertTrue(r.used() >= 16, "used length " + r.used());
                assertEquals(0, out.getInt(4), "fuse_out_header.error");
                assertEquals(0x1234, out.getLong(8), "fuse_out_header.unique");
                assertEquals(7, out.getInt(16), "fuse_init_out.major");
            }
        }
    }

    /** A lab peer as a {@link Launcher}: each start closes the previous process and starts another. */
    private static final class PeerLauncher implements Launcher {
        interface Start {
            Peer start() throws Exception;
        }

        private final Start how;
        private Peer peer;
        int starts;

        PeerLauncher(Start how) throws Exception {
            this.how = how;
            start();
        }

        @Override
        public void start() throws java.io.IOException {
            close();
            try {
                peer = how.start();
                starts++;
            } catch (java.io.IOException e) {
                throw e;
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        }

        @Override
        public void close() {
            if (peer != null) {
                try {
                    peer.close();
                } catch (Exception e) {
                    // The process is gone either way; the next start reports any real problem.
                }
                peer = null;
            }
        }
    }

    private static final List<String> QSD11_FINDINGS = List.of("dev_config_read_only", "dev_malformed_short_readable",
            "dev_malformed_no_writable", "dev_malformed_readable_after_writable");
    private static final List<String> VIRTIOFSD_FINDINGS = List.of("dev_request_within_writable",
            "dev_request_used_len", "dev_malformed_short_readable", "dev_malformed_no_writable",
            "dev_malformed_readable_after_writable", "dev_reset_initial_state");

    private static void copyLog(Path log, String report, String name) throws Exception {
        if (Files.exists(log)) {
            Files.copy(log, Backends.REPORTS.resolve(report).resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
