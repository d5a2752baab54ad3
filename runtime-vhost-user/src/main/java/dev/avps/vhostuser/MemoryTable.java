package dev.avps.vhostuser;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;
import dev.avps.runtime.os.Linux;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest RAM the front end shared with SET_MEM_TABLE, mapped read-write from the fds it sent
 * (each only if the fd itself is open read-write), with the front end's
 * own virtual addresses (ring addresses arrive in those) translated to guest-physical ones.
 *
 * <p>Mappings are released explicitly on {@link #close()}: a front end that reconnects a thousand
 * times must not leave a thousand mappings waiting for the garbage collector. Callers stop every
 * queue worker before closing; a worker still touching a region would get an exception from its
 * segment (and the close would fail) rather than touch unmapped memory. Regions may be of any size:
 * a q35 guest with 8 GiB of RAM hands over about 6 GiB above 4 GiB as one region.
 */
final class MemoryTable implements AutoCloseable {

    /** One region as the front end described it. */
    record Region(long guestAddr, long size, long userAddr, long mmapOffset) {
    }

    static final int REGION_BYTES = 32;
    static final int MAX_REGIONS = 8;

    private final List<Region> regions;
    private final List<GuestMapping> mappings;
    private final GuestMemory memory;

    private MemoryTable(List<Region> regions, List<GuestMapping> mappings, GuestMemory memory) {
        this.regions = regions;
        this.mappings = mappings;
        this.memory = memory;
    }

    GuestMemory memory() {
        return memory;
    }

    int regionCount() {
        return regions.size();
    }

    /** Parses and checks a SET_MEM_TABLE payload; maps nothing yet. */
    static List<Region> parse(Message m) throws VhostUserException {
        int n = m.u32("SET_MEM_TABLE", 0);
        if (n < 1 || n > MAX_REGIONS) {
            throw new VhostUserException("SET_MEM_TABLE lists " + Integer.toUnsignedString(n) + " regions; 1 to "
                    + MAX_REGIONS + " are allowed");
        }
        int expected = 8 + n * REGION_BYTES;
        if (m.size() != expected) {
            throw new VhostUserException("SET_MEM_TABLE with " + n + " regions must be " + expected
                    + " bytes, got " + m.size());
        }
        m.requireFds("SET_MEM_TABLE with " + n + " regions", n);
        List<Region> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int o = 8 + i * REGION_BYTES;
            Region r = new Region(m.u64At("region", o), m.u64At("region", o + 8), m.u64At("region", o + 16),
                    m.u64At("region", o + 24));
            check(i, r);
            for (int j = 0; j < out.size(); j++) {
                Region q = out.get(j);
                if (overlaps(r.guestAddr(), r.size(), q.guestAddr(), q.size())) {
                    throw new VhostUserException("region " + i + " overlaps region " + j + " in guest-physical space");
                }
                if (overlaps(r.userAddr(), r.size(), q.userAddr(), q.size())) {
                    throw new VhostUserException("region " + i + " overlaps region " + j + " in the front end's"
                            + " address space");
                }
            }
            out.add(r);
        }
        return out;
    }

    /**
     * Parses the one region of ADD_MEM_REG or REM_MEM_REG (8 bytes of padding, then the region in
     * SET_MEM_TABLE's layout); the request's shape check has fixed the payload at 40 bytes.
     */
    static Region parseSlot(String what, Message m) throws VhostUserException {
        Region r = new Region(m.u64At(what, 8), m.u64At(what, 16), m.u64At(what, 24), m.u64At(what, 32));
        check(0, r);
        return r;
    }

    /** Whether a region with this guest address and size is mapped (how REM_MEM_REG names one). */
    boolean contains(Region r) {
        return indexOf(r) >= 0;
    }

    private int indexOf(Region r) {
        for (int i = 0; i < regions.size(); i++) {
            Region q = regions.get(i);
            if (q.guestAddr() == r.guestAddr() && q.size() == r.size()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * This table plus one region mapped from {@code fd} (closed whatever happens). The existing
     * mappings move to the returned table, so this one must not be used or closed afterwards; on
     * an error this table is left as it was.
     */
    MemoryTable plus(Region r, FileDescriptor fd) throws VhostUserException {
        try {
            if (regions.size() >= MAX_REGIONS) {
                throw new VhostUserException("ADD_MEM_REG beyond the " + MAX_REGIONS + " slots GET_MAX_MEM_SLOTS"
                        + " reported");
            }
            for (Region q : regions) {
                if (overlaps(r.guestAddr(), r.size(), q.guestAddr(), q.size())
                        || overlaps(r.userAddr(), r.size(), q.userAddr(), q.size())) {
                    throw new VhostUserException("ADD_MEM_REG region " + r + " overlaps mapped region " + q);
                }
            }
            GuestMapping g = mapOne(regions.size(), r, fd);
            List<Region> rs = new ArrayList<>(regions);
            rs.add(r);
            List<GuestMapping> ms = new ArrayList<>(mappings);
            ms.add(g);
            mappings.clear();
            return of(rs, ms);
        } finally {
            Fds.closeQuietly(fd);
        }
    }

    /**
     * This table without the region {@link #contains} found, which is unmapped (callers have
     * stopped the rings); {@code null} when it was the last one. The other mappings move to the
     * returned table.
     */
    MemoryTable minus(Region r) {
        int i = indexOf(r);
        List<Region> rs = new ArrayList<>(regions);
        rs.remove(i);
        List<GuestMapping> ms = new ArrayList<>(mappings);
        ms.remove(i).close();
        mappings.clear();
        return rs.isEmpty() ? null : of(rs, ms);
    }

    private static MemoryTable of(List<Region> rs, List<GuestMapping> ms) {
        MemoryRegion[] mem = new MemoryRegion[rs.size()];
        for (int i = 0; i < rs.size(); i++) {
            mem[i] = MemoryRegion.of(rs.get(i).guestAddr(), ms.get(i).segment());
        }
        return new MemoryTable(List.copyOf(rs), ms, new GuestMemory(mem));
    }

    private static void check(int i, Region r) throws VhostUserException {
        if (r.size() <= 0 || r.size() > MemoryRegion.MAX_SIZE) {
            throw new VhostUserException("region " + i + " has size " + Long.toUnsignedString(r.size())
                    + "; 1 byte to 2^48 bytes per region is supported");
        }
        if (Long.compareUnsigned(r.guestAddr() + r.size(), r.guestAddr()) < 0
                || Long.compareUnsigned(r.userAddr() + r.size(), r.userAddr()) < 0
                || r.mmapOffset() < 0 || r.mmapOffset() + r.size() < 0) {
            throw new VhostUserException("region " + i + " wraps around the 64-bit address space");
        }
    }

    private static boolean overlaps(long a, long alen, long b, long blen) {
        return Long.compareUnsigned(a, b + blen) < 0 && Long.compareUnsigned(b, a + alen) < 0;
    }

    /** Maps every region from its fd; the fds are closed whatever happens. */
    static MemoryTable map(List<Region> regions, FileDescriptor[] fds) throws VhostUserException {
        List<GuestMapping> mappings = new ArrayList<>();
        try {
            MemoryRegion[] mem = new MemoryRegion[regions.size()];
            for (int i = 0; i < regions.size(); i++) {
                Region r = regions.get(i);
                GuestMapping g = mapOne(i, r, fds[i]);
                mappings.add(g);
                mem[i] = MemoryRegion.of(r.guestAddr(), g.segment());
            }
            return new MemoryTable(List.copyOf(regions), mappings, new GuestMemory(mem));
        } catch (VhostUserException | RuntimeException e) {
            mappings.forEach(GuestMapping::close);
            throw e;
        } finally {
            for (FileDescriptor fd : fds) {
                Fds.closeQuietly(fd);
            }
        }
    }

    /**
     * Maps one region through the fd itself, never by reopening the file it names (a reopen
     * would check this process's rights, not the front end's, and turn a read-only fd into a
     * writable mapping). The device writes guest memory (used rings, device-writable buffers),
     * so a region the fd does not grant write access to is refused rather than mapped read-only.
     */
    private static GuestMapping mapOne(int i, Region r, FileDescriptor fd) throws VhostUserException {
        String what = "region " + i;
        int number = Fds.number(what, fd);
        int flags = Fds.statusFlags(what, number);
        if ((flags & Linux.O_PATH) != 0) {
            throw new VhostUserException(what + ": its fd is an O_PATH fd, which grants no access to the file");
        }
        int access = flags & Linux.O_ACCMODE;
        if (access != Linux.O_RDWR) {
            throw new VhostUserException(what + ": its fd is open " + (access == Linux.O_RDONLY ? "read-only (O_RDONLY)"
                    : access == Linux.O_WRONLY ? "write-only (O_WRONLY)" : "with access mode " + access)
                    + "; the device writes guest memory, so every region must be shared read-write (O_RDWR)");
        }
        long fileSize;
        try {
            // stat through the /proc link looks at the same file without opening it
            fileSize = Files.size(Path.of("/proc/self/fd", Integer.toString(number)));
        } catch (IOException e) {
            throw new VhostUserException(what + ": the size of its file cannot be read: " + e.getMessage(), e);
        }
        if (fileSize < r.mmapOffset() + r.size()) {
            throw new VhostUserException(what + " needs " + (r.mmapOffset() + r.size())
                    + " bytes of its file, which has " + fileSize);
        }
        try {
            return GuestMapping.map(number, r.mmapOffset(), r.size());
        } catch (IOException e) {
            throw new VhostUserException(what + " cannot be mapped read-write from its fd ("
                    + Fds.kind(Fds.target(number)) + "): " + e.getMessage(), e);
        }
    }

    /** The guest-physical address of a front-end virtual address range, or -1 when unmapped. */
    long toGuest(long userAddr, long length) {
        for (Region r : regions) {
            long off = userAddr - r.userAddr();
            if (Long.compareUnsigned(userAddr, r.userAddr()) >= 0 && Long.compareUnsigned(off, r.size()) < 0
                    && Long.compareUnsigned(length, r.size() - off) <= 0) {
                return r.guestAddr() + off;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        mappings.forEach(GuestMapping::close);
        mappings.clear();
    }
}
