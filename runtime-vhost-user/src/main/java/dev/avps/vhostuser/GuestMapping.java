package dev.avps.vhostuser;

import dev.avps.runtime.os.Linux;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One region of guest RAM mapped from the fd the front end sent, shared and read-write: the
 * kernel checks that the fd itself was opened O_RDWR, so the mapping can never grant more than the
 * front end did. The mapping is a {@link MemorySegment} of any length (a region may be larger than
 * 4 GiB) in its own shared arena, unmapped by {@link #close()} once no thread touches it any more;
 * a thread that still does gets an exception from the segment instead of touching unmapped memory.
 */
final class GuestMapping implements AutoCloseable {

    private static final long PAGE = Linux.pageSize();

    private final Arena arena;
    private final MemorySegment segment;

    private GuestMapping(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Maps {@code size} bytes at {@code offset} of the file behind {@code fd}. mmap wants a
     * page-aligned offset; the front end's need not be, so the mapping starts at the page below
     * and the segment begins where the region does.
     */
    static GuestMapping map(int fd, long offset, long size) throws IOException {
        long lead = offset % PAGE;
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole = Linux.mapShared(fd, offset - lead, lead + size, arena);
            return new GuestMapping(arena, whole.asSlice(lead, size));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The region's bytes; valid until {@link #close()}. */
    MemorySegment segment() {
        return segment;
    }

    /**
     * Unmaps the region. Should a thread still be inside an access (callers stop the queue
     * workers first, so only a handler that never returned can be), the shared arena refuses to
     * close and the region stays mapped rather than vanish under that thread.
     */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException stillInUse) {
                // left mapped: see above
            }
        }
    }
}
