package dev.avps.conform;

import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.FrontEndException.Reason;
import dev.avps.vhostuser.driver.VhostUserFrontEnd;
import java.util.concurrent.TimeUnit;

/**
 * Connects to the backend, retrying for a while: a backend that serves one front end at a time
 * may still be tearing down the previous check's connection (ours refuses a second one until the
 * first has ended; qemu-storage-daemon listens again only after it). A connection counts once it
 * has answered GET_FEATURES. With a {@link Launcher}, a socket nobody listens on is answered by
 * starting the backend again (once per connection wanted).
 */
final class Connector {
    /** How long a backend may take to accept a new connection after the previous one closed. */
    static final long RECONNECT_MILLIS = 10_000;

    private Connector() {
    }

    static VhostUserFrontEnd connect(Target target) throws FrontEndException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECONNECT_MILLIS);
        FrontEndException last;
        boolean launched = false;
        do {
            VhostUserFrontEnd fe = null;
            try {
                fe = VhostUserFrontEnd.connect(target.socket(), target.replyMillis());
                fe.getFeatures();
                return fe;
            } catch (FrontEndException e) {
                if (fe != null) {
                    fe.close();
                }
                last = e;
                if (e.reason() == Reason.NO_REPLY) {
                    throw e; // it accepted and then said nothing: waiting longer will not help
                }
                if (target.launcher() != null && !launched && notListening(target)) {
                    launched = true;
                    try {
                        target.launcher().start();
                        continue;
                    } catch (java.io.IOException ioe) {
                        throw new FrontEndException(Reason.IO, "starting the backend again: " + ioe.getMessage(), ioe);
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrontEndException(Reason.IO, "interrupted while connecting to " + target.socket());
            }
        } while (System.nanoTime() - deadline < 0);
        throw new FrontEndException(last.reason(), "no usable connection to " + target.socket() + " within "
                + RECONNECT_MILLIS + " ms; last attempt: " + last.getMessage(), last);
    }

    /** Nobody listens on the socket (it may be there, left by a process that has exited). */
    private static boolean notListening(Target target) {
        try {
            return !ShellLauncher.listening(target.socket());
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
