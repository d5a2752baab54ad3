package dev.avps.vhostuser.driver;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;
import dev.avps.runtime.os.Linux;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Guest RAM the way a VMM shares it: one memfd per region, mapped here (so the front end can act
 * as the driver) and sent to the backend with SET_MEM_TABLE. Each region also gets a "front-end
 * virtual address", {@link #UVA_OFFSET} above its guest address, which the protocol's ring
 * addresses use; a backend that confuses the two fails to find the rings.
 */
public final class GuestRam implements AutoCloseable {
    /** Where a region's front-end virtual address sits relative to its guest-physical one. */
    public static final long UVA_OFFSET = 0x7f00_0000_0000L;

    /** One region: guest-physical base and size. */
    public record Region(long guestBase, long size) {
    }

    private final List<Region> regions;
    private final int[] fds;
    private final Arena arena;
    private final GuestMemory memory;

    private GuestRam(List<Region> regions, int[] fds, Arena arena, GuestMemory memory) {
        this.regions = regions;
        this.fds = fds;
        this.arena = arena;
        this.memory = memory;
    }

    /** One memfd-backed region per entry (zero-filled, pages allocated only when touched). */
    public static GuestRam create(Region... regions) throws FrontEndException {
        if (regions.length == 0) {
            throw new IllegalArgumentException("guest RAM needs at least one region");
        }
        Arena arena = Arena.ofShared();
        int[] fds = new int[regions.length];
        int made = 0;
        try {
            MemoryRegion[] mapped = new MemoryRegion[regions.length];
            for (Region r : regions) {
                fds[made] = Linux.memfdCreate("avps-guest-ram-" + made, Linux.MFD_CLOEXEC);
                made++;
                Linux.ftruncate(fds[made - 1], r.size());
                mapped[made - 1] = MemoryRegion.of(r.guestBase(), Linux.mapShared(fds[made - 1], 0, r.size(), arena));
            }
            return new GuestRam(List.of(regions), fds, arena, new GuestMemory(mapped));
        } catch (IOException | RuntimeException e) {
            arena.close();
            for (int i = 0; i < made; i++) {
                closeQuietly(fds[i]);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new FrontEndException(FrontEndException.Reason.IO, "cannot create guest RAM: " + e.getMessage(), e);
        }
    }

    /** The driver's view of the memory (reads and writes of request buffers go through it). */
    public GuestMemory memory() {
        return memory;
    }

    public List<Region> regions() {
        return regions;
    }

    /** The front-end virtual address of guest address {@code gpa}, as ring addresses carry it. */
    public long uva(long gpa) {
        return gpa + UVA_OFFSET;
    }

    /** The SET_MEM_TABLE payload: region count, padding, then {guest, size, user address, mmap offset} each. */
    byte[] memTable() {
        ByteBuffer b = ByteBuffer.allocate(8 + 32 * regions.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(regions.size()).putInt(0);
        for (Region r : regions) {
            b.putLong(r.guestBase()).putLong(r.size()).putLong(uva(r.guestBase())).putLong(0);
        }
        return b.array();
    }

    /** The memfds, in region order, to send with SET_MEM_TABLE. */
    FileDescriptor[] descriptors() throws FrontEndException {
        FileDescriptor[] out = new FileDescriptor[fds.length];
        for (int i = 0; i < fds.length; i++) {
            try {
                out[i] = FileDescriptorCast.unsafeUsing(fds[i]).getFileDescriptor();
            } catch (IOException e) {
                throw new FrontEndException(FrontEndException.Reason.IO, "memfd " + fds[i] + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Unmaps and closes the memfds; the backend keeps its own mapping until it drops it. */
    @Override
    public void close() {
        arena.close();
        for (int fd : fds) {
            closeQuietly(fd);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Linux.close(fd);
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Region r : regions) {
            parts.add("0x" + Long.toHexString(r.guestBase()) + "+0x" + Long.toHexString(r.size()));
        }
        return "GuestRam" + parts;
    }
}
