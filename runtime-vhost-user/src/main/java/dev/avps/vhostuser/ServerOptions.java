package dev.avps.vhostuser;

/**
 * How a {@link VhostUserServer} admits front ends.
 *
 * @param socketMode the socket file's permission bits (0 to 0777), applied exactly, like
 *        {@code mkdir -m}; or {@link #DEFAULT_MODE}: 0600 narrowed further by the process's umask.
 *        Connecting to a unix socket needs write permission on its file, so the mode says who may
 *        connect: by default only the server's own user (and root).
 * @param takeover whether a new connection may take the device from a front end that is still
 *        connected; when false (the default) the newcomer is refused, when true the old connection
 *        is ended. Either way the event is logged.
 */
public record ServerOptions(int socketMode, boolean takeover) {

    /** The default mode: owner read-write (0600), and never more than the umask allows. */
    public static final int DEFAULT_MODE = -1;

    public ServerOptions {
        if (socketMode != DEFAULT_MODE && (socketMode < 0 || socketMode > 0777)) {
            throw new IllegalArgumentException("socket mode 0" + Integer.toOctalString(socketMode)
                    + " is not a permission mode (0 to 0777)");
        }
    }

    /** Mode 0600 under the umask, and no takeover. */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_MODE, false);
    }

    public ServerOptions withSocketMode(int mode) {
        return new ServerOptions(mode, takeover);
    }

    public ServerOptions withTakeover(boolean allowed) {
        return new ServerOptions(socketMode, allowed);
    }
}
