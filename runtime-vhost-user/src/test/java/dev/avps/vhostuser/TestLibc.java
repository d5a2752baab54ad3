package dev.avps.vhostuser;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import org.newsclub.net.unix.FileDescriptorCast;

/** The few libc calls tests need to make fds the JDK cannot: eventfds, pipes, O_PATH and directory fds. */
interface TestLibc extends Library {

    TestLibc LIBC = Native.load("c", TestLibc.class);

    int O_RDONLY = 0;
    int O_DIRECTORY = 0200000;
    int O_PATH = 010000000;
    int O_CLOEXEC = 02000000;

    int eventfd(int initval, int flags) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int pipe(int[] fds) throws LastErrorException;

    int dup2(int oldfd, int newfd) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** Wraps a raw fd number (junixsocket probes it first, which O_PATH fds fail). */
    static FileDescriptor wrap(int fd) throws IOException {
        return FileDescriptorCast.unsafeUsing(fd).getFileDescriptor();
    }

    /**
     * An O_PATH fd of {@code path}: names the file, grants no access to its bytes. junixsocket
     * cannot wrap one, so it is moved into the number of a FileDescriptor opened on /dev/null.
     */
    static FileDescriptor openPath(String path) throws IOException {
        FileDescriptor holder = new FileInputStream("/dev/null").getFD();
        int number = FileDescriptorCast.using(holder).as(Integer.class);
        int opath = LIBC.open(path, O_PATH | O_CLOEXEC);
        LIBC.dup2(opath, number);
        LIBC.close(opath);
        return holder;
    }

    static FileDescriptor openDirectory(String path) throws IOException {
        return wrap(LIBC.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }

    /** Both ends of a new pipe: read end first. */
    static FileDescriptor[] pipe() throws IOException {
        int[] fds = new int[2];
        LIBC.pipe(fds);
        return new FileDescriptor[] {wrap(fds[0]), wrap(fds[1])};
    }
}
