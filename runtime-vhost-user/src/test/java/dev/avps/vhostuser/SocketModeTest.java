package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The socket file gets the mode asked for, 0600 unless told otherwise, and never a wider one. */
class SocketModeTest {

    @TempDir
    Path dir;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theDefaultModeLetsOnlyTheOwnerConnect() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("m.sock"), new EchoDevice())) {
            assertEquals("rw-------", mode(server.path()));
        }
    }

    @Test
    void anExplicitModeIsAppliedExactly() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("g.sock"), new EchoDevice(),
                ServerOptions.defaults().withSocketMode(0660))) {
            assertEquals("rw-rw----", mode(server.path()));
            try (FrontEnd fe = new FrontEnd(server.path())) {
                assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withSocketMode(01777));
    }

    /** A watcher stats the path while servers start and stop: no moment shows more than 0600. */
    @Test
    void theSocketIsNeverVisibleWithAWiderMode() throws Exception {
        Path path = dir.resolve("w.sock");
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger looks = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try {
                    seen.accumulateAndGet(SocketFile.modeOf(path), (a, b) -> a | b);
                    looks.incrementAndGet();
                } catch (IOException e) {
                    // not there at this moment
                }
            }
        });
        watcher.start();
        try {
            for (int i = 0; i < 50; i++) {
                VhostUserServer.start(path, new EchoDevice()).close();
            }
        } finally {
            done.set(true);
            watcher.join();
        }
        assertTrue(looks.get() > 0, "the watcher saw the socket at least once");
        assertEquals(0600, seen.get(), "permission bits ever seen: 0" + Integer.toOctalString(seen.get()));
    }

    @Test
    void aFileThatIsNotASocketIsNeverReplaced() throws Exception {
        Path path = dir.resolve("data.txt");
        Files.writeString(path, "keep me");
        IOException e = assertThrows(IOException.class, () -> VhostUserServer.start(path, new EchoDevice()));
        assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
        assertEquals("keep me", Files.readString(path));
    }

    @Test
    void aStaleSocketIsReplacedAndNothingIsLeftBehind() throws Exception {
        Path path = dir.resolve("s.sock");
        AFUNIXServerSocket stale = AFUNIXServerSocket.newInstance();
        stale.setDeleteOnClose(false);
        stale.bind(AFUNIXSocketAddress.of(path));
        stale.close();
        assertTrue(SocketFile.isSocket(path), "a stale socket file is left");
        try (VhostUserServer server = VhostUserServer.start(path, new EchoDevice());
                FrontEnd fe = new FrontEnd(server.path())) {
            assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM));
        }
        assertFalse(Files.exists(path), "the socket is removed on close");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "no private directory is left behind");
        }
    }
}
