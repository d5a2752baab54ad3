package dev.avps.conform;

import dev.avps.conform.model.Catalog;
import java.nio.file.Path;
import java.util.Set;

/**
 * The backend under test and how patient to be with it.
 *
 * @param socket         the backend's vhost-user socket
 * @param catalog        the catalog's model of the device it claims to be
 * @param features       device feature names to negotiate at most, or {@code null} for every one offered
 * @param replyMillis    how long one vhost-user reply may take
 * @param requestMillis  how long one request may take to come back used
 * @param checkMillis    how long a whole check may take (the backstop against any hang)
 * @param launcher       starts the backend again when it is not listening (one-connection backends), or null
 * @param vsockUds       vsock only: the host-side unix socket path of the backend, whose guest
 *                       connections to host port P go to a listener at {@code vsockUds + "_" + P};
 *                       {@code null} when not known (the checks needing a host peer are then not checkable)
 * @param netPeer        net only: what answers behind the device, {@code "echo"} (a peer returning every
 *                       unicast frame with the addresses swapped: testpmd in macswap mode, avps-serve --echo)
 *                       or the IPv4 address of a host that answers ARP and ICMP echo (avps-serve --host-ip);
 *                       {@code null} when none is known (the checks needing traffic back are then not checkable)
 */
public record Target(Path socket, Catalog catalog, Set<String> features, long replyMillis, long requestMillis,
        long checkMillis, Launcher launcher, Path vsockUds, String netPeer) {

    public static final long DEFAULT_REPLY_MILLIS = 5_000;
    public static final long DEFAULT_REQUEST_MILLIS = 5_000;
    public static final long DEFAULT_CHECK_MILLIS = 60_000;

    public Target(Path socket, Catalog catalog) {
        this(socket, catalog, null, DEFAULT_REPLY_MILLIS, DEFAULT_REQUEST_MILLIS, DEFAULT_CHECK_MILLIS);
    }

    /** A target without a launcher or vsock host path: started by someone else and kept listening. */
    public Target(Path socket, Catalog catalog, Set<String> features, long replyMillis, long requestMillis,
            long checkMillis) {
        this(socket, catalog, features, replyMillis, requestMillis, checkMillis, null, null, null);
    }

    /** The same target with other request and check timeouts (tests of backends that hang). */
    public Target withTimeouts(long request, long check) {
        return new Target(socket, catalog, features, replyMillis, request, check, launcher, vsockUds, netPeer);
    }

    public Target withFeatures(Set<String> names) {
        return new Target(socket, catalog, names == null ? null : Set.copyOf(names), replyMillis, requestMillis,
                checkMillis, launcher, vsockUds, netPeer);
    }

    /** The same target, started again by {@code l} whenever it is not listening. */
    public Target withLauncher(Launcher l) {
        return new Target(socket, catalog, features, replyMillis, requestMillis, checkMillis, l, vsockUds, netPeer);
    }

    /** The same target with the vsock backend's host-side socket path known (see {@link #vsockUds}). */
    public Target withVsockUds(Path uds) {
        return new Target(socket, catalog, features, replyMillis, requestMillis, checkMillis, launcher, uds, netPeer);
    }

    /** The same target with the peer behind a net device named (see {@link #netPeer}). */
    public Target withNetPeer(String peer) {
        return new Target(socket, catalog, features, replyMillis, requestMillis, checkMillis, launcher, vsockUds, peer);
    }
}
