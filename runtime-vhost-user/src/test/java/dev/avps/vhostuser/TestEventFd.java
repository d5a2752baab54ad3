package dev.avps.vhostuser;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import org.newsclub.net.unix.FileDescriptorCast;

/** A real eventfd for tests, the kind of kick/call/err fd QEMU sends; non-blocking. */
final class TestEventFd implements AutoCloseable {

    private static final int EFD_NONBLOCK = 04000;
    private static final int EFD_CLOEXEC = 02000000;

    final FileDescriptor fd;
    private final FileInputStream in;
    private final FileOutputStream out;

    TestEventFd() throws IOException {
        int n = TestLibc.LIBC.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        this.fd = FileDescriptorCast.unsafeUsing(n).getFileDescriptor();
        this.in = new FileInputStream(fd);
        this.out = new FileOutputStream(fd);
    }

    /** Adds one to the counter, as a driver's kick or a device's call does. */
    void signal() throws IOException {
        out.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
    }

    /** Waits up to {@code millis} for the counter to become non-zero and consumes it. */
    boolean await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        byte[] b = new byte[8];
        do {
            try {
                if (in.read(b) == 8) {
                    return true;
                }
            } catch (IOException e) {
                // EAGAIN: nothing signalled yet
            }
            Thread.sleep(1);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    @Override
    public void close() {
        Fds.closeQuietly(fd);
    }
}
