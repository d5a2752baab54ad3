package dev.avps.vhostuser;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.newsclub.net.unix.AFSocket;

/**
 * Gives a socket a receive buffer for ancillary data large enough for the most fds the kernel
 * passes in one message (SCM_MAX_FD, 253: CMSG_SPACE(253 * 4) is 1032 bytes).
 *
 * <p>Why: when the buffer is too small the kernel installs the fds that fit, flags the message as
 * truncated and closes the rest; junixsocket then throws ENOBUFS without handing over the ones
 * installed, which stay open in this process for good (60 per message at its 256 bytes). With
 * room for every fd the message may carry, each arrives as a FileDescriptor and the session
 * closes what the request does not take. junixsocket 2.11 caps
 * {@code setAncillaryReceiveBufferSize} at 256 bytes, so its buffer field is replaced directly;
 * if a later junixsocket renames the field, the server says so once at start and the limit of
 * 60 fds per message applies (see the README).
 */
final class AncillaryBuffer {

    private static final System.Logger LOG = System.getLogger(AncillaryBuffer.class.getName());
    static final int BYTES = 2048;

    private static final Field IMPL;
    private static final Field SUPPORT;
    private static final Field BUFFER;

    static {
        Field impl = null;
        Field support = null;
        Field buffer = null;
        try {
            impl = AFSocket.class.getDeclaredField("impl");
            impl.setAccessible(true);
            support = Class.forName("org.newsclub.net.unix.AFSocketImpl").getDeclaredField("ancillaryDataSupport");
            support.setAccessible(true);
            buffer = Class.forName("org.newsclub.net.unix.AncillaryDataSupport")
                    .getDeclaredField("ancillaryReceiveBuffer");
            buffer.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot enlarge junixsocket's ancillary buffer ({0}): a message with more"
                    + " than 60 fds will leave the ones that fitted open", e.toString());
            impl = null;
        }
        IMPL = impl;
        SUPPORT = support;
        BUFFER = buffer;
    }

    private AncillaryBuffer() {
    }

    /** Installs the large buffer; returns false when this junixsocket does not allow it. */
    static boolean enlarge(AFSocket<?> socket) {
        if (IMPL == null) {
            return false;
        }
        try {
            Object support = SUPPORT.get(IMPL.get(socket));
            BUFFER.set(support, ByteBuffer.allocateDirect(BYTES));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
