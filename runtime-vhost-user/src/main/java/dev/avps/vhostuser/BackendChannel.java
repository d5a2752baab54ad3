package dev.avps.vhostuser;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The socket the front end gave with SET_BACKEND_REQ_FD, on which the backend starts requests of
 * its own. The only one sent here is the configuration change (VHOST_USER_BACKEND_CONFIG_CHANGE_MSG),
 * which makes the front end raise the configuration change interrupt and the driver read the config
 * space again. No reply is asked for, so a front end that stops reading costs at most a full socket
 * buffer, never a thread waiting on an answer.
 *
 * <p>Devices call {@link #configChanged} from any thread; writes are serialized so two messages never
 * interleave. After a failed write or {@link #close} it does nothing: a device may still hold the old
 * session's notifier. Only the session thread closes the fd ({@link #close}), as with every fd that
 * came over the socket (see {@link Session}).
 */
final class BackendChannel implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BackendChannel.class.getName());
    /** VHOST_USER_BACKEND_CONFIG_CHANGE_MSG, a backend-to-front-end request without payload. */
    static final int CONFIG_CHANGE_MSG = 2;

    private final FileDescriptor fd;
    private final FileOutputStream out;
    private final String name;
    /** A write failed or the session closed the channel: nothing more is sent. */
    private boolean done;
    private boolean closed;

    BackendChannel(FileDescriptor fd, String name) {
        this.fd = fd;
        this.out = new FileOutputStream(fd);
        this.name = name;
    }

    /** Tells the front end the device's config space changed; false once the channel is gone. */
    synchronized boolean configChanged() {
        if (done) {
            return false;
        }
        byte[] header = ByteBuffer.allocate(Message.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(CONFIG_CHANGE_MSG).putInt(Message.VERSION).putInt(0).array();
        try {
            out.write(header);
            return true;
        } catch (IOException e) {
            LOG.log(Level.INFO, "{0}: the backend channel is gone ({1}); config changes are no longer announced",
                    name, e.getMessage());
            done = true;
            return false;
        }
    }

    @Override
    public synchronized void close() {
        done = true;
        if (!closed) {
            closed = true;
            Fds.closeQuietly(fd);
        }
    }
}
