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
 */
public record Target(Path socket, Catalog catalog, Set<String> features, long replyMillis, long requestMillis,
        long checkMillis, Launcher launcher) {

    public static final long DEFAULT_REPLY_MILLIS = 5_000;
    public static final long DEFAULT_REQUEST_MILLIS = 5_000;
    public static final long DEFAULT_CHECK_MILLIS = 60_000;

    public Target(Path socket, Catalog catalog) {
        this(socket, catalog, null, DEFAULT_REPLY_MILLIS, DEFAULT_REQUEST_MILLIS, DEFAULT_CHECK_MILLIS, null);
    }

    /** A target without a launcher: the backend is started by someone else and keeps listening. */
    public Target(Path socket, Catalog catalog, Set<String> features, long replyMillis, long requestMillis,
            long checkMillis) {
        this(socket, catalog, features, replyMillis, requestMillis, checkMillis, null);
    }

    /** The same target with other request and check timeouts (tests of backends that hang). */
    public Target withTimeouts(long request, long check) {
        return new Target(socket, catalog, features, replyMillis, request, check, launcher);
    }

    public Target withFeatures(Set<String> names) {
        return new Target(socket, catalog, names == null ? null : Set.copyOf(names), replyMillis, requestMillis,
                checkMillis, launcher);
    }

    /** The same target, started again by {@code l} whenever it is not listening. */
    public Target withLauncher(Launcher l) {
        return new Target(socket, catalog, features, replyMillis, requestMillis, checkMillis, l);
    }
}
