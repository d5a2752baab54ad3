package dev.avps.conform.checks;

import dev.avps.conform.CheckFailure;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The host side of a vsock connection: a program listening at {@code UDS_PORT}, where a vsock
 * backend following the usual vhost-user convention connects a guest stream to host port PORT.
 * Every wait is bounded, by polling non-blocking channels.
 */
final class VsockHostPeer implements AutoCloseable {
    private static final long POLL_MILLIS = 5;

    final long port;
    private final Path path;
    private final ServerSocketChannel server;
    private SocketChannel accepted;

    private VsockHostPeer(long port, Path path, ServerSocketChannel server) {
        this.port = port;
        this.path = path;
        this.server = server;
    }

    /** Listens on a host port with no socket at its path yet, chosen at random. */
    static VsockHostPeer listen(Path uds) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            long port = freePort(uds);
            Path p = path(uds, port);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                s.bind(UnixDomainSocketAddress.of(p));
                s.configureBlocking(false);
                return new VsockHostPeer(port, p, s);
            } catch (IOException e) {
                s.close(); // taken between the look and the bind: try another
            }
        }
        throw new IOException("no free host port found next to " + uds);
    }

    /** A host port nothing listens on (no socket at its path). */
    static long freePort(Path uds) {
        for (;;) {
            long port = ThreadLocalRandom.current().nextLong(20_000, 60_000);
            if (!Files.exists(path(uds, port))) {
                return port;
            }
        }
    }

    static Path path(Path uds, long port) {
        return Path.of(uds + "_" + port);
    }

    /** Waits up to {@code millis} for the backend to connect; fails if it does not. */
    void accept(long millis, String why) throws IOException, InterruptedException, CheckFailure {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (accepted == null) {
            accepted = server.accept();
            if (accepted == null) {
                CheckFailure.require(System.nanoTime() < deadline, "the backend never connected to " + path + " ("
                        + why + ")");
                Thread.sleep(POLL_MILLIS);
            }
        }
        accepted.configureBlocking(false);
    }

    /** Whether the backend connected to the listener (looked at once, without waiting). */
    boolean connected() throws IOException {
        if (accepted == null) {
            accepted = server.accept();
            if (accepted != null) {
                accepted.configureBlocking(false);
            }
        }
        return accepted != null;
    }

    /** Writes all of {@code data} to the accepted connection within {@code millis}. */
    void write(byte[] data, long millis) throws IOException, InterruptedException, CheckFailure {
        ByteBuffer b = ByteBuffer.wrap(data);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (b.hasRemaining()) {
            if (accepted.write(b) == 0) {
                CheckFailure.require(System.nanoTime() < deadline, "the backend took only " + b.position() + " of "
                        + data.length + " bytes on the host socket in " + millis + " ms");
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /** Reads exactly {@code n} bytes within {@code millis}; fails with what arrived otherwise. */
    byte[] read(int n, long millis) throws IOException, InterruptedException, CheckFailure {
        ByteBuffer b = ByteBuffer.allocate(n);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (b.hasRemaining()) {
            int got = accepted.read(b);
            CheckFailure.require(got >= 0, "the backend closed the host connection after " + b.position() + " of "
                    + n + " bytes");
            if (got == 0) {
                CheckFailure.require(System.nanoTime() < deadline, "only " + b.position() + " of " + n
                        + " bytes reached the host peer in " + millis + " ms");
                Thread.sleep(POLL_MILLIS);
            }
        }
        return b.array();
    }

    @Override
    public void close() {
        try {
            if (accepted != null) {
                accepted.close();
            }
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: the listener's file is in the caller's directory
        }
    }
}
