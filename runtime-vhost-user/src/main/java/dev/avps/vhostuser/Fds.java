package dev.avps.vhostuser;

import dev.avps.runtime.os.Linux;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Received fds: what they are and closing them. Everything here looks at the fd itself (fcntl,
 * the /proc link's target); nothing reopens the file it names, which would give this process its
 * own access to the file instead of the access the front end granted.
 */
final class Fds {

    private Fds() {
    }

    /** Java has no close on FileDescriptor; a stream over it does it. */
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

    /**
     * The fd's number. junixsocket cannot look at an O_PATH fd (its probe gets EBADF), and such an
     * fd grants no access to the file's bytes anyway, so that case is named in the reason.
     */
    static int number(String what, FileDescriptor fd) throws VhostUserException {
        try {
            return FileDescriptorCast.using(fd).as(Integer.class);
        } catch (IOException e) {
            throw new VhostUserException(what + ": the fd grants no access to a file (an O_PATH fd, or closed): "
                    + e.getMessage(), e);
        }
    }

    /** The fd's status flags (fcntl F_GETFL): its access mode and open flags. */
    static int statusFlags(String what, int fd) throws VhostUserException {
        try {
            return Linux.statusFlags(fd);
        } catch (IOException e) {
            throw new VhostUserException(what + ": " + e.getMessage(), e);
        }
    }

    /** The target of /proc/self/fd/N: a path, or {@code anon_inode:[eventfd]}, {@code socket:[…]}… */
    static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Refuses anything but an eventfd: a kick, call or err fd is only ever read or signalled as one. */
    static void requireEventFd(String what, FileDescriptor fd) throws VhostUserException {
        String target = target(number(what, fd));
        if (!target.equals("anon_inode:[eventfd]")) {
            throw new VhostUserException(what + ": the fd is " + kind(target) + ", not an eventfd");
        }
    }

    /** Refuses anything but a socket: the backend channel is written to as one. */
    static void requireSocket(String what, FileDescriptor fd) throws VhostUserException {
        String target = target(number(what, fd));
        if (!target.startsWith("socket:")) {
            throw new VhostUserException(what + ": the fd is " + kind(target) + ", not a socket");
        }
    }

    /** Names what a /proc fd link points at, in words for a log line. */
    static String kind(String target) {
        if (target.startsWith("socket:")) {
            return "a socket";
        }
        if (target.startsWith("pipe:")) {
            return "a pipe";
        }
        if (target.startsWith("anon_inode:")) {
            return "an anonymous inode " + target.substring("anon_inode:".length());
        }
        Path p = Path.of(target);
        if (Files.isDirectory(p)) {
            return "a directory";
        }
        return Files.isRegularFile(p) ? "a regular file" : "a special file";
    }
}
