package dev.avps.vhostuser;

import dev.avps.runtime.device.VirtioDevice;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * Serves one device on one unix socket, for as long as it is open. One front end owns the device
 * at a time. A front end may disconnect and connect again (QEMU reconnects after a restart); a
 * second one that connects while the first is still connected is refused, unless the
 * {@link ServerOptions#takeover() takeover} option lets it end the first. A connection that breaks
 * the protocol is closed and logged, and the server goes on accepting.
 *
 * <p>The accept thread never closes a session's socket or fds: it only asks the session to end
 * and waits for its thread to have released everything.
 */
public final class VhostUserServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VhostUserServer.class.getName());
    /**
     * How long a newcomer waits for the connected front end's session to finish ending. QEMU
     * closes its old connection before it reconnects; the old session then ends within
     * milliseconds, while a front end that stays connected keeps its session past this.
     */
    static final long HANDOVER_GRACE_MS = 2_000;
    /** How long a takeover or shutdown waits for a session to release everything. */
    static final long END_TIMEOUT_MS = 15_000;

    private final SocketFile socketFile;
    private final AFUNIXServerSocket server;
    private final VirtioDevice device;
    private final Path path;
    private final ServerOptions options;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile Session current;
    private volatile String lastEndReason;
    private volatile boolean open = true;

    private VhostUserServer(Path path, VirtioDevice device, ServerOptions options) throws IOException {
        this.path = path;
        this.device = device;
        this.options = options;
        this.socketFile = SocketFile.bind(path, options.socketMode());
        this.server = socketFile.server();
        this.acceptor = new Thread(this::acceptLoop, "vhost-user-accept-" + path.getFileName());
        acceptor.setDaemon(true);
    }

    /** Listens on {@code socket} (replacing a stale socket file) with the default options. */
    public static VhostUserServer start(Path socket, VirtioDevice device) throws IOException {
        return start(socket, device, ServerOptions.defaults());
    }

    /** Listens on {@code socket} (replacing a stale socket file) and serves {@code device}. */
    public static VhostUserServer start(Path socket, VirtioDevice device, ServerOptions options) throws IOException {
        // VHOST_USER_GET_FEATURES / SET_FEATURES carry one u64: bits past 63 cannot reach the
        // front end, and dropping them would let a driver miss features the device relies on.
        if (device.offeredFeatures().needsHighWord()) {
            throw new IllegalArgumentException("vhost-user carries 64 feature bits, but the device offers bits "
                    + device.offeredFeatures().bits().stream().filter(b -> b >= 64).toList()
                    + ": offer only bits 0..63 to serve it over vhost-user");
        }
        VhostUserServer s = new VhostUserServer(socket, device, options);
        String mode;
        try {
            mode = "0" + Integer.toOctalString(SocketFile.modeOf(socket));
        } catch (IOException e) {
            mode = "unknown (" + e.getMessage() + ")";
        }
        LOG.log(Level.INFO, "vhost-user {0}: listening, socket mode {1}, takeover {2}", socket.getFileName(), mode,
                options.takeover() ? "allowed" : "refused");
        s.acceptor.start();
        return s;
    }

    private void acceptLoop() {
        while (open) {
            AFUNIXSocket socket;
            try {
                socket = server.accept();
            } catch (SocketException e) {
                if (open) {
                    LOG.log(Level.ERROR, "accept on {0} stopped: {1}", path, e.toString());
                }
                return; // closed
            } catch (IOException e) {
                if (open) {
                    LOG.log(Level.WARNING, "accept on {0} failed: {1}", path, e.getMessage());
                }
                continue;
            }
            int n = accepted.incrementAndGet();
            String name = "vhost-user " + path.getFileName() + " #" + n;
            try {
                admit(socket, name, n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refuse(socket, name, "the server is shutting down");
                return;
            }
        }
    }

    /** Serves the new connection once no other session owns the device, or refuses it. */
    private void admit(AFUNIXSocket socket, String name, int n) throws InterruptedException {
        Session previous = current;
        if (previous != null && !previous.hasEnded()) {
            if (options.takeover()) {
                LOG.log(Level.WARNING, "{0} from {1} takes the device over from {2} (takeover is allowed)", name,
                        peer(socket), previous.name());
                previous.requestEnd("taken over by connection #" + n, Level.WARNING);
                if (!previous.awaitEnd(END_TIMEOUT_MS)) {
                    refuse(socket, name, previous.name() + " did not end within " + END_TIMEOUT_MS + " ms");
                    return;
                }
            } else if (!previous.awaitEnd(HANDOVER_GRACE_MS)) {
                refuse(socket, name, previous.name() + " is serving the device and takeover is not allowed");
                return;
            }
        }
        if (!open) {
            refuse(socket, name, "the server is shutting down");
            return;
        }
        try {
            Wire wire = new Wire(socket);
            Session[] self = new Session[1];
            Session s = new Session(wire, device, name, () -> {
                lastEndReason = self[0].endReason();
                ended.incrementAndGet();
            });
            self[0] = s;
            current = s;
            LOG.log(Level.INFO, "{0}: connected from {1}", name, peer(socket));
            Thread t = new Thread(s, "vhost-user-" + path.getFileName() + "-" + n);
            t.setDaemon(true);
            t.start();
        } catch (IOException e) {
            refuse(socket, name, "cannot set up the connection: " + e.getMessage());
        }
    }

    /** Closes a connection no session ever owned (so no fd was received on it) and says why. */
    private void refuse(AFUNIXSocket socket, String name, String reason) {
        LOG.log(Level.WARNING, "{0} from {1}: refused: {2}", name, peer(socket), reason);
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        lastEndReason = "refused: " + reason;
        refused.incrementAndGet();
        ended.incrementAndGet();
    }

    private static String peer(AFUNIXSocket socket) {
        try {
            AFUNIXSocketCredentials c = socket.getPeerCredentials();
            return "pid " + c.getPid() + ", uid " + c.getUid();
        } catch (IOException | RuntimeException e) {
            return "an unknown peer";
        }
    }

    /** Connections accepted so far (served or refused). */
    public int accepted() {
        return accepted.get();
    }

    /** Connections fully torn down so far (every fd and mapping released), refused ones included. */
    public int ended() {
        return ended.get();
    }

    /** Connections refused because another front end owned the device (or the server was stopping). */
    public int refused() {
        return refused.get();
    }

    /** Why the most recently ended connection was closed or refused. */
    public String lastEndReason() {
        return lastEndReason;
    }

    public Path path() {
        return path;
    }

    /** Stops accepting, ends the current session and waits for it to release everything. */
    @Override
    public void close() throws IOException {
        open = false;
        socketFile.close();
        Session s = current;
        if (s != null) {
            s.requestEnd("the server is shutting down", Level.INFO);
        }
        try {
            acceptor.join(END_TIMEOUT_MS);
            if (s != null && !s.awaitEnd(END_TIMEOUT_MS)) {
                LOG.log(Level.ERROR, "{0} did not end within {1} ms", s.name(), END_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
