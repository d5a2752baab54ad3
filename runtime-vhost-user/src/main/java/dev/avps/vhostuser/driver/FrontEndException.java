package dev.avps.vhostuser.driver;

/**
 * What a backend did wrong (or failed to do) as seen by the {@link VhostUserFrontEnd}: a reason a
 * conformance check can assert on, and a message with the numbers. A framing failure
 * ({@code NO_REPLY}, {@code BACKEND_CLOSED}, {@code WRONG_REPLY_CODE/FLAGS/SIZE}) leaves the stream
 * out of step, so the connection is unusable and every later call fails with
 * {@code CONNECTION_BROKEN}; after a ring failure only that ring is (its driver queue needs reset).
 */
public final class FrontEndException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The verdict. */
    public enum Reason {
        /** The backend sent nothing (or not all of a reply) within the timeout. */
        NO_REPLY,
        /** The backend closed the connection (or crashed) while a reply was due, or before a request went out. */
        BACKEND_CLOSED,
        /** A reply names another request than the one it answers. */
        WRONG_REPLY_CODE,
        /** A reply lacks the REPLY flag or carries another protocol version. */
        WRONG_REPLY_FLAGS,
        /** A reply's payload size is not the one its request defines. */
        WRONG_REPLY_SIZE,
        /** A reply of the right size says something impossible (another queue, another config window). */
        WRONG_REPLY_CONTENT,
        /** REPLY_ACK answered a request with a non-zero status: the backend refused it. */
        NACK,
        /** The caller asked for something the backend did not offer (a feature, a protocol feature, a queue). */
        NOT_OFFERED,
        /** No used buffer came back within the timeout. */
        NO_COMPLETION,
        /** The device broke the ring (used length past the writable bytes, an id never submitted...): see the cause. */
        RING_VIOLATION,
        /** The backend signalled the queue's error eventfd: it found the ring broken and stopped it. */
        DEVICE_ERROR,
        /** An earlier failure left the connection unusable. */
        CONNECTION_BROKEN,
        /** A local system call or socket operation failed (see the cause). */
        IO
    }

    private final Reason reason;

    public FrontEndException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public FrontEndException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
