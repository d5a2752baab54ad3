package dev.avps.vhostuser;

/**
 * Recognises the error the JVM raises when an access to mapped memory faults (SIGBUS): a front
 * end truncated a region's file under a running ring. The JVM reports it as an InternalError,
 * sometimes at the next safepoint after the access ("in a recent unsafe memory access operation"),
 * so it is caught where a thread's work begins, not around each access.
 */
final class MemoryFault {

    private MemoryFault() {
    }

    static boolean is(Throwable t) {
        return t instanceof InternalError && t.getMessage() != null
                && t.getMessage().contains("unsafe memory access operation");
    }

    /** The reason a session ends with, in words a user can act on. */
    static String reason(String where, Throwable t) {
        return where + ": guest memory could not be accessed (" + t.getMessage()
                + "); the front end shrank or removed a region's file under a running ring";
    }
}
