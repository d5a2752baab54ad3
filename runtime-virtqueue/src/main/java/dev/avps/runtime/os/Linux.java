package dev.avps.runtime.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux calls a virtio transport needs and Java has no API for, made through the FFM
 * {@link Linker}: anonymous shared memory (memfd_create, ftruncate, mmap), eventfd notifiers,
 * and closing raw file descriptors. A front end creates guest memory and kick/call notifiers with
 * these; a back end maps the memory it is handed.
 *
 * <p>Descriptors are plain {@code int}s, as the kernel and vhost-user hand them around; the caller
 * owns each one and closes it. Failures throw {@link IOException} naming the call, its argument
 * and the errno (for example {@code "ftruncate(fd 7, 4294967296): EBADF (Bad file descriptor)"}).
 * Callers need native access enabled ({@code --enable-native-access=ALL-UNNAMED}, or the jar
 * manifest's {@code Enable-Native-Access}); without it the JDK prints a warning on first use.
 */
public final class Linux {
    /** memfd_create flag: close the descriptor on exec. */
    public static final int MFD_CLOEXEC = 0x0001;
    /** memfd_create flag: allow seals (F_ADD_SEALS). */
    public static final int MFD_ALLOW_SEALING = 0x0002;
    /** eventfd flag: close on exec. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** eventfd flag: reads and writes never block (EAGAIN instead). */
    public static final int EFD_NONBLOCK = 0x800;

    /** fcntl's access-mode mask and modes, and O_PATH (an fd that grants no access to the bytes). */
    public static final int O_ACCMODE = 03;
    public static final int O_RDONLY = 00;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_PATH = 010000000;

    private static final int F_GETFL = 3;
    private static final int SC_PAGESIZE = 30;
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_SHARED = 0x01;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle MEMFD_CREATE = call("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EVENTFD = call("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FTRUNCATE = call("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = call("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = call("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MMAP = call("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    // fcntl is variadic; F_GETFL passes no third argument, so every argument is a fixed one.
    private static final MethodHandle FCNTL = call("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(LIBC.find("sysconf").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LIBC.find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Linux() {
    }

    /** Every call but munmap captures errno, which the JVM may otherwise clobber before we read it. */
    private static MethodHandle call(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, fd, Linker.Option.captureCallState("errno"));
    }

    /** A new anonymous memory file of size 0 (grow it with {@link #ftruncate}); returns its descriptor. */
    public static int memfdCreate(String name, int flags) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int fd = (int) MEMFD_CREATE.invokeExact(state, a.allocateFrom(name), flags);
            return check(fd, state, "memfd_create(\"" + name + "\")");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A new eventfd with counter {@code initial}; returns its descriptor. */
    public static int eventfd(int initial, int flags) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int fd = (int) EVENTFD.invokeExact(state, initial, flags);
            return check(fd, state, "eventfd(" + initial + ")");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The status flags of a descriptor this process was handed (fcntl F_GETFL): its access mode
     * ({@link #O_ACCMODE}) and open flags. Asking the fd, not reopening the file it names, tells
     * what the sender granted.
     */
    public static int statusFlags(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) FCNTL.invokeExact(state, fd, F_GETFL);
            return check(r, state, "fcntl(fd " + fd + ", F_GETFL)");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The kernel's page size: mmap offsets must be multiples of it. */
    public static long pageSize() {
        try {
            long size = (long) SYSCONF.invokeExact(SC_PAGESIZE);
            if (size <= 0) {
                throw new IllegalStateException("sysconf(_SC_PAGESIZE) returned " + size);
            }
            return size;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sets the size of a file or memfd; growing a memfd allocates nothing until pages are touched. */
    public static void ftruncate(int fd, long size) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) FTRUNCATE.invokeExact(state, fd, size);
            check(r, state, "ftruncate(fd " + fd + ", " + size + ")");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void close(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) CLOSE.invokeExact(state, fd);
            check(r, state, "close(fd " + fd + ")");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Adds {@code value} to an eventfd's counter (a kick or a call). */
    public static void eventfdWrite(int fd, long value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            MemorySegment buf = a.allocateFrom(JAVA_LONG, value);
            long n = (long) WRITE.invokeExact(state, fd, buf, 8L);
            check(n, state, "write(eventfd " + fd + ")");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Reads and resets an eventfd's counter (blocks while it is 0 unless EFD_NONBLOCK). */
    public static long eventfdRead(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            MemorySegment buf = a.allocate(JAVA_LONG);
            long n = (long) READ.invokeExact(state, fd, buf, 8L);
            check(n, state, "read(eventfd " + fd + ")");
            return buf.get(JAVA_LONG, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Maps {@code size} bytes of {@code fd} from {@code offset}, shared and read-write, as a
     * segment of any length (over 4 GiB included) that is unmapped when {@code arena} closes.
     * Only the pages touched are ever allocated. Accessing pages beyond the end of the file
     * raises SIGBUS, as with any mapping: size the file first.
     */
    public static MemorySegment mapShared(int fd, long offset, long size, Arena arena) throws IOException {
        if (size <= 0 || offset < 0) {
            throw new IllegalArgumentException("mapping of " + size + " bytes at offset " + offset);
        }
        MemorySegment at;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            at = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
                    fd, offset);
            // MAP_FAILED is (void *) -1, which check() reports with errno.
            check(at.address(), state, "mmap(fd " + fd + ", offset " + offset + ", " + size + " bytes)");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        long address = at.address();
        // The cleanup runs once, when the arena closes (for an automatic arena: when the segment
        // is unreachable); after that every access through the segment fails instead of faulting.
        return at.reinterpret(size, arena, s -> unmap(address, size));
    }

    private static void unmap(long address, long size) {
        try {
            int r = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), size);
            if (r != 0) {
                throw new IllegalStateException("munmap(0x" + Long.toHexString(address) + ", " + size + ") failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int check(int result, MemorySegment state, String what) throws IOException {
        return (int) check((long) result, state, what);
    }

    private static long check(long result, MemorySegment state, String what) throws IOException {
        if (result != -1) {
            return result;
        }
        int errno = (int) ERRNO.get(state, 0L);
        throw new IOException(what + ": " + Errno.name(errno) + " (" + describe(errno) + ")");
    }

    private static String describe(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
