package dev.avps.vhostuser;

import dev.avps.runtime.device.VirtioDevice;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Serves one device on one unix socket, for as long as it is open. Front ends may disconnect and
 * connect again (QEMU reconnects after a restart); the newest connection owns the device and an
 * older one still open is closed. A connection that breaks the protocol is closed and logged,
 * and the server goes on accepting.
 */
public final class VhostUserServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VhostUserServer.class.getName());

    private final AFUNIXServerSocket server;
    private final VirtioDevice device;
    private final Path path;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private volatile Session current;
    private volatile String lastEndReason;
    private volatile boolean open = true;

    private VhostUserServer(Path path, VirtioDevice device) throws IOException {
        this.path = path;
        this.device = device;
        Files.deleteIfExists(path);
        this.server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(path));
        this.acceptor = new Thread(this::acceptLoop, "vhost-user-accept-" + path.getFileName());
        acceptor.setDaemon(true);
    }

    /** Listens on {@code socket} (replacing a stale socket file) and serves {@code device}. */
    public static VhostUserServer start(Path socket, VirtioDevice device) throws IOException {
        // VHOST_USER_GET_FEATURES / SET_FEATURES carry one u64: bits past 63 cannot reach the
        // front end, and dropping them would let a driver miss features the device relies on.
        if (device.offeredFeatures().needsHighWord()) {
            throw new IllegalArgumentException("vhost-user carries 64 feature bits, but the device offers bits "
                    + device.offeredFeatures().bits().stream().filter(b -> b >= 64).toList()
                    + ": offer only bits 0..63 to serve it over vhost-user");
        }
        VhostUserServer s = new VhostUserServer(socket, device);
        s.acceptor.start();
        return s;
    }

    private void acceptLoop() {
        while (open) {
            AFUNIXSocket socket;
            try {
                socket = server.accept();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                if (open) {
                    LOG.log(Level.WARNING, "accept on {0} failed: {1}", path, e.getMessage());
                }
                continue;
            }
            int n = accepted.incrementAndGet();
            try {
                Wire wire = new Wire(socket);
                Session[] self = new Session[1];
                Session s = new Session(wire, device, "vhost-user " + path.getFileName() + " #" + n, () -> {
                    lastEndReason = self[0].endReason();
                    ended.incrementAndGet();
                });
                self[0] = s;
                Session previous = current;
                current = s;
                if (previous != null) {
                    previous.close();
                }
                Thread t = new Thread(s, "vhost-user-" + path.getFileName() + "-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot set up connection #{0}: {1}", n, e.getMessage());
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
                ended.incrementAndGet();
            }
        }
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections fully torn down so far (every fd and mapping released). */
    public int ended() {
        return ended.get();
    }

    /** Why the most recently ended connection was closed ({@code null} after a clean disconnect). */
    public String lastEndReason() {
        return lastEndReason;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        Session s = current;
        if (s != null) {
            s.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(path);
    }
}
