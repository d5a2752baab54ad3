package dev.avps.conform.platform;

/** A command line the platform mode cannot run: the message names what is wrong (exit code 2). */
public final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
        super(message);
    }
}
