package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A root-run server against a peer run as nobody (setpriv): with the default mode the peer
 * cannot connect at all; with 0666 it connects, but sharing an O_RDONLY fd of a root-owned 0644
 * file as guest RAM gets the table refused and the file keeps its bytes.
 */
class UnprivilegedPeerTest {

    static final int NOBODY = 65534;

    static Path shared;
    static String classpath;

    @BeforeAll
    static void prepare() throws IOException {
        assumeTrue(uid() == 0, "skipped: needs root, to run a server as root and a peer as nobody (uid " + uid()
                + ")");
        assumeTrue(new File("/usr/bin/setpriv").canExecute() || new File("/bin/setpriv").canExecute(),
                "skipped: setpriv (util-linux) is not installed");
        // A directory nobody may enter, so the socket's own mode is the only thing that decides.
        shared = Files.createTempDirectory("avps-unprivileged");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        classpath = copyClasspath(shared.resolve("cp"));
        Path tmp = Files.createDirectory(shared.resolve("tmp"));
        Files.setAttribute(tmp, "unix:uid", NOBODY);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (shared != null) {
            try (Stream<Path> all = Files.walk(shared)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void withTheDefaultModeNobodyCannotConnect() throws Exception {
        Path victim = victim("default");
        try (VhostUserServer server = VhostUserServer.start(shared.resolve("default.sock"), new EchoDevice())) {
            Result r = runAsNobody(server.path(), victim);
            assertEquals(3, r.exit, r.output);
            assertTrue(r.output.contains("REFUSED") && r.output.contains("Permission denied"), r.output);
            assertEquals(0, server.accepted(), "no connection reached the server");
        }
    }

    @Test
    void with0666NobodyConnectsButCannotWriteARootOwnedFile() throws Exception {
        Path victim = victim("open");
        byte[] before = Files.readAllBytes(victim);
        try (VhostUserServer server = VhostUserServer.start(shared.resolve("open.sock"), new EchoDevice(),
                ServerOptions.defaults().withSocketMode(0666))) {
            assertEquals(0666, SocketFile.modeOf(server.path()));
            Result r = runAsNobody(server.path(), victim);
            assertEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("CLOSED"), r.output);
            assertEquals(1, server.accepted(), "nobody connected");
            VhostUserServerTest.waitFor(() -> server.ended() == 1);
            assertTrue(server.lastEndReason().contains("region 1: its fd is open read-only"), server.lastEndReason());
        }
        assertArrayEquals(before, Files.readAllBytes(victim), "the root-owned file was written");
    }

    /** A root-owned 0644 file nobody may read but not write. */
    static Path victim(String name) throws IOException {
        Path victim = shared.resolve(name + "-victim.bin");
        Files.write(victim, new byte[ReadOnlyRegionTest.VICTIM_SIZE]);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        return victim;
    }

    record Result(int exit, String output) {
    }

    static Result runAsNobody(Path socket, Path victim) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String tmp = shared.resolve("tmp").toString();
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                java, "-Djava.io.tmpdir=" + tmp, "-Djna.tmpdir=" + tmp, "-Duser.home=" + tmp, "-cp", classpath,
                UnprivilegedPeer.class.getName(), socket.toString(), victim.toString());
        pb.redirectErrorStream(true);
        pb.environment().put("HOME", tmp);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the peer finished");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * The test class path, copied where nobody may read it (Maven's repository usually sits in
     * root's home, which nobody cannot enter). JUnit is left out: the peer does not need it.
     */
    static String copyClasspath(Path into) throws IOException {
        Files.createDirectories(into);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            String name = src.getFileName().toString();
            if (!Files.exists(src) || name.startsWith("junit") || name.startsWith("opentest4j")
                    || name.startsWith("apiguardian") || name.startsWith("surefire")) {
                continue;
            }
            Path dst = into.resolve((i++) + "-" + name);
            if (Files.isDirectory(src)) {
                try (Stream<Path> tree = Files.walk(src)) {
                    for (Path s : (Iterable<Path>) tree::iterator) {
                        Files.copy(s, dst.resolve(src.relativize(s).toString()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        try (Stream<Path> all = Files.walk(into)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static int uid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return Integer.parseInt(l.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: treated as unprivileged
        }
        return -1;
    }
}
