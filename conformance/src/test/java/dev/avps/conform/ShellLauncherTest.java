package dev.avps.conform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --respawn}: started until it listens, stopped on close, and a clear reason when it cannot. */
class ShellLauncherTest {
    @TempDir
    Path dir;

    /** A tiny listener run as a single-file Java program: binds the socket and waits to be killed. */
    private String listener(Path socket) throws IOException {
        Path src = dir.resolve("Listen.java");
        Files.writeString(src, """
                import java.net.UnixDomainSocketAddress;
                import java.nio.channels.ServerSocketChannel;
                import static java.net.StandardProtocolFamily.UNIX;
                public class Listen {
                    public static void main(String[] a) throws Exception {
                        ServerSocketChannel s = ServerSocketChannel.open(UNIX);
                        s.bind(UnixDomainSocketAddress.of(a[0]));
                        Thread.sleep(600_000);
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "exec '" + java + "' '" + src + "' '" + socket + "'";
    }

    @Test
    void startsUntilListeningAndStopsOnClose() throws Exception {
        Path socket = dir.resolve("b.sock");
        try (ShellLauncher l = new ShellLauncher(listener(socket), socket, dir.resolve("b.log"), 60_000)) {
            l.start();
            assertTrue(ShellLauncher.listening(socket));
            Files.delete(socket);
            l.start(); // ends the first process, starts another
            assertTrue(ShellLauncher.listening(socket));
            assertTrue(l.starts() == 2);
            l.close();
            assertFalse(ShellLauncher.listening(socket), "the backend still listens after close");
        }
    }

    @Test
    void aCommandThatExitsIsReportedWithItsStatus() {
        Path socket = dir.resolve("c.sock");
        ShellLauncher l = new ShellLauncher("exit 3", socket, null, 10_000);
        IOException e = assertThrows(IOException.class, l::start);
        assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
    }

    @Test
    void aCommandThatNeverListensTimesOut() {
        Path socket = dir.resolve("d.sock");
        try (ShellLauncher l = new ShellLauncher("sleep 30", socket, null, 300)) {
            IOException e = assertThrows(IOException.class, l::start);
            assertTrue(e.getMessage().contains("did not listen"), e.getMessage());
        }
    }
}
