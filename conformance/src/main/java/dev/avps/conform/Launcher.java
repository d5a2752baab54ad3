package dev.avps.conform;

import java.io.IOException;

/**
 * Starts the backend (again) when its socket does not answer. Some backends serve exactly one
 * front end and exit when it disconnects (virtiofsd does, by design); the runner opens a
 * connection per check and several within some checks, so against those it needs a fresh process
 * each time. {@link Connector} calls {@link #start} when a connection attempt finds nobody
 * listening; whoever made the launcher closes it after the run.
 */
public interface Launcher extends AutoCloseable {

    /**
     * Ends the previous process if it is still there, starts a new one and returns once it listens
     * on the target's socket, or throws with the reason (it exited, or did not listen in time).
     */
    void start() throws IOException;

    /** Stops the process, if one runs. */
    @Override
    void close();
}
