package dev.avps.vhostuser;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import jdk.nio.Channels;

/**
 * A notification fd from the front end: an eventfd (the session refuses any other kind).
 *
 * <p>Waiting uses the JDK's own selector on the raw fd (jdk.nio.Channels), so an idle queue costs
 * no CPU: no sleeping and polling. The fds are shared with QEMU and already non-blocking; their
 * flags are left alone.
 */
final class EventFd implements AutoCloseable {

    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    private final FileDescriptor fd;
    private final FileInputStream in;
    private final FileOutputStream out;
    private final byte[] drain = new byte[64];
    private volatile Selector selector;

    EventFd(FileDescriptor fd) {
        this.fd = fd;
        this.in = new FileInputStream(fd);
        this.out = new FileOutputStream(fd);
    }

    /**
     * Prepares waiting; must happen before a worker thread calls {@link #await()}. A ring that
     * restarts on the same kick fd (new call fd, new memory table) comes here again once its old
     * worker has stopped: that worker's selector is closed, not leaked.
     */
    void openForWaiting() throws IOException {
        Selector old = selector;
        if (old != null) {
            old.close();
        }
        Selector s = Selector.open();
        SelectableChannel channel = Channels.readWriteSelectableChannel(fd, new Channels.SelectableChannelCloser() {
            @Override
            public void implCloseChannel(SelectableChannel sc) {
                // the fd is ours to close, in close()
            }

            @Override
            public void implReleaseChannel(SelectableChannel sc) {
                // nothing is held beyond the fd
            }
        });
        channel.configureBlocking(false);
        channel.register(s, SelectionKey.OP_READ);
        selector = s;
    }

    /** Signals the peer: adds one to an eventfd's counter. */
    void signal() throws IOException {
        out.write(ONE);
    }

    /**
     * Waits until the fd is readable or {@link #wakeup()} is called, then consumes what is there.
     * Returns whether a notification arrived.
     */
    boolean await() throws IOException {
        int ready = selector.select();
        selector.selectedKeys().clear();
        if (ready == 0) {
            return false;
        }
        try {
            in.read(drain);
        } catch (IOException e) {
            // EAGAIN: another reader (or a coalesced wakeup) took it; nothing to consume.
        }
        return true;
    }

    /** Makes a blocked {@link #await()} return. */
    void wakeup() {
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    @Override
    public void close() {
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException ignored) {
            // closing the selector cannot fail in a way we could act on
        }
        Fds.closeQuietly(fd);
    }
}
