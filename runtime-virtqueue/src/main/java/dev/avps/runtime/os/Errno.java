package dev.avps.runtime.os;

/** Symbolic names of the errno values these calls report, from Linux's asm-generic/errno-base.h. */
final class Errno {
    private static final String[] NAMES = {
        "0", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
        "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
        "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
        "EMLINK", "EPIPE", "EDOM", "ERANGE",
    };

    private Errno() {
    }

    static String name(int errno) {
        return errno >= 0 && errno < NAMES.length ? NAMES[errno] : "errno " + errno;
    }
}
