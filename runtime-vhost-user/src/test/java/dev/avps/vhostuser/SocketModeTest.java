package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket file gets the mode asked for, 0600 unless told otherwise. */
class SocketModeTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultModeLetsOnlyTheOwnerConnect() throws Exception {
        try (VhostUserServer server = VhostUserServer.start(dir.resolve("m.sock"), new EchoDevice())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())));
        }
    }
}
