package dev.avps.vhostuser;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc calls the JDK does not offer on an fd it did not open itself: the fd's status flags,
 * and the page size (mapping the fd's own file goes through dev.avps.runtime.os.Linux). Constants
 * are Linux's (x86-64 and arm64 share them).
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int F_GETFL = 3;
    int O_ACCMODE = 03;
    int O_RDONLY = 00;
    int O_WRONLY = 01;
    int O_RDWR = 02;
    int O_PATH = 010000000;

    int SC_PAGESIZE = 30;

    /** fcntl is variadic; F_GETFL takes no third argument. */
    int fcntl(int fd, int cmd, Object... args) throws LastErrorException;

    long sysconf(int name);
}
