package dev.avps.vhostuser;

/**
 * The front end broke the protocol: a malformed, truncated or oversized message, a region table
 * or ring address that does not fit, an fd missing or extra. The connection cannot be trusted
 * any more and is closed; the message says exactly what was wrong.
 */
public final class VhostUserException extends Exception {

    private static final long serialVersionUID = 1L;

    public VhostUserException(String message) {
        super(message);
    }

    public VhostUserException(String message, Throwable cause) {
        super(message, cause);
    }
}
