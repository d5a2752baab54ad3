package dev.avps.conform;

/** Thrown by a check body: the backend broke the requirement; the message says what was observed. */
public final class CheckFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckFailure(String message) {
        super(message);
    }

    /** Fails unless {@code condition} holds. */
    public static void require(boolean condition, String message) throws CheckFailure {
        if (!condition) {
            throw new CheckFailure(message);
        }
    }
}
