package dev.avps.vhostuser;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;

/** Closing received fds: Java has no close on FileDescriptor, a stream over it does it. */
final class Fds {

    private Fds() {
    }

    static void closeQuietly(FileDescriptor fd) {
        if (fd == null || !fd.valid()) {
            return;
        }
        try (FileInputStream s = new FileInputStream(fd)) {
            // closing the stream closes the descriptor
        } catch (IOException ignored) {
            // nothing more can be done about a descriptor that fails to close
        }
    }
}
