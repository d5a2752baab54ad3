package dev.avps.eclipse.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The server command line and the reflective provider, without OSGi or LSP4E. */
class AvpsLanguageServerFactoryTest {

    /** Mirrors the shape of LSP4E's StreamConnectionProvider: abstract stream methods, a default one. */
    public interface FakeProvider {
        void start() throws java.io.IOException;

        InputStream getInputStream();

        OutputStream getOutputStream();

        InputStream getErrorStream();

        void stop();

        default Object getInitializationOptions(java.net.URI rootUri) {
            return "defaults-" + rootUri;
        }

        String somethingNew();
    }

    /** Records calls so the test can see the proxy forwarded them. */
    static final class RecordingConnection implements ServerConnection {
        final List<String> calls = new ArrayList<>();
        final InputStream in = new ByteArrayInputStream(new byte[0]);
        final InputStream err = new ByteArrayInputStream(new byte[0]);
        final OutputStream out = new ByteArrayOutputStream();

        @Override
        public void start() {
            calls.add("start");
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public InputStream getErrorStream() {
            return err;
        }

        @Override
        public void stop() {
            calls.add("stop");
        }
    }

    @Test
    void commandLineUsesTheGivenJreAndAnAbsoluteJar() {
        Path jar = Path.of("server/avps-language-server.jar");
        assertEquals(List.of("/opt/jdk/bin/java", "-jar", jar.toAbsolutePath().toString()),
                ServerCommand.commandLine(Path.of("/opt/jdk"), jar, "Linux"));
    }

    @Test
    void windowsUsesTheConsoleLauncher() {
        List<String> command = ServerCommand.commandLine(Path.of("/jdk"), Path.of("/s.jar"), "Windows 11");
        assertEquals(Path.of("/jdk", "bin", "java.exe").toString(), command.get(0));
    }

    @Test
    void runningJreIsTheDefault() {
        List<String> command = ServerCommand.forRunningJre(Path.of("/s.jar"));
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), command.get(0));
    }

    @Test
    void proxyForwardsToTheConnectionAndKeepsDefaults() throws Exception {
        RecordingConnection connection = new RecordingConnection();
        FakeProvider provider = (FakeProvider) AvpsLanguageServerFactory.proxy(FakeProvider.class, connection);

        provider.start();
        assertSame(connection.in, provider.getInputStream());
        assertSame(connection.out, provider.getOutputStream());
        assertSame(connection.err, provider.getErrorStream());
        provider.stop();
        assertEquals(List.of("start", "stop"), connection.calls);
        assertEquals("defaults-file:/x", provider.getInitializationOptions(java.net.URI.create("file:/x")));
        assertThrows(UnsupportedOperationException.class, provider::somethingNew);
    }
}
