package dev.avps.vhostuser;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * One region of guest RAM mapped from the fd the front end sent, shared and read-write: the
 * kernel checks that the fd itself was opened O_RDWR, so the mapping can never grant more than the
 * front end did. Unmapped explicitly by {@link #close()}, once no thread touches it any more.
 */
final class GuestMapping implements AutoCloseable {

    private static final long PAGE = LibC.INSTANCE.sysconf(LibC.SC_PAGESIZE);

    private final Pointer base;
    private final long length;
    private final ByteBuffer buffer;
    private boolean closed;

    private GuestMapping(Pointer base, long length, ByteBuffer buffer) {
        this.base = base;
        this.length = length;
        this.buffer = buffer;
    }

    /**
     * Maps {@code size} bytes at {@code offset} of the file behind {@code fd}. mmap wants a
     * page-aligned offset; the front end's need not be, so the mapping starts at the page below
     * and the buffer begins where the region does.
     */
    static GuestMapping map(int fd, long offset, int size) throws LastErrorException {
        long lead = offset % PAGE;
        long length = lead + size;
        Pointer p = LibC.INSTANCE.mmap(null, length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd,
                offset - lead);
        if (Pointer.nativeValue(p) == -1L) {
            throw new LastErrorException("mmap failed");
        }
        return new GuestMapping(p, length, p.getByteBuffer(lead, size));
    }

    /** The region's bytes; valid until {@link #close()}. */
    ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibC.INSTANCE.munmap(base, length);
        } catch (LastErrorException e) {
            // only fails for arguments we built ourselves from a successful mmap
        }
    }
}
