package dev.avps.vhostuser.driver;

import dev.avps.runtime.os.Linux;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * One eventfd the front end owns and hands to the backend as a kick, call or err fd. Non-blocking,
 * so waiting is a bounded poll and can never hang on a backend that does not signal.
 */
public final class Notifier implements AutoCloseable {
    /** How often {@link #await} looks at the counter: coarse, since this is a test driver, not a fast path. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int fd;
    private final FileDescriptor descriptor;
    private boolean closed;

    Notifier() throws FrontEndException {
        try {
            fd = Linux.eventfd(0, Linux.EFD_NONBLOCK | Linux.EFD_CLOEXEC);
            descriptor = FileDescriptorCast.unsafeUsing(fd).getFileDescriptor();
        } catch (IOException e) {
            throw new FrontEndException(FrontEndException.Reason.IO, "cannot create an eventfd: " + e.getMessage(), e);
        }
    }

    /** The descriptor to send with SET_VRING_KICK/CALL/ERR (the kernel duplicates it into the backend). */
    FileDescriptor descriptor() {
        return descriptor;
    }

    /** Adds one to the counter (a kick). */
    public void signal() throws FrontEndException {
        try {
            Linux.eventfdWrite(fd, 1);
        } catch (IOException e) {
            throw new FrontEndException(FrontEndException.Reason.IO, "kick failed: " + e.getMessage(), e);
        }
    }

    /** Consumes the counter if it is non-zero; false (at once) if nothing was signalled. */
    public boolean poll() throws FrontEndException {
        try {
            return Linux.eventfdRead(fd) != 0;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("EAGAIN")) {
                return false;
            }
            throw new FrontEndException(FrontEndException.Reason.IO, "eventfd read failed: " + e.getMessage(), e);
        }
    }

    /** Waits up to {@code nanos} for a signal and consumes it; false when none came. */
    public boolean await(long nanos) throws FrontEndException {
        long deadline = System.nanoTime() + nanos;
        while (!poll()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(POLL_NANOS, Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return poll();
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                Linux.close(fd);
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
