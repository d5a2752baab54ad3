package dev.avps.vhostuser;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The guest RAM the front end shared with SET_MEM_TABLE, mapped read-write, with the front end's
 * own virtual addresses (ring addresses arrive in those) translated to guest-physical ones.
 *
 * <p>Mappings are released explicitly on {@link #close()}: a front end that reconnects a thousand
 * times must not leave a thousand mappings waiting for the garbage collector. Callers stop every
 * queue worker before closing, since touching an unmapped buffer would crash the JVM.
 */
final class MemoryTable implements AutoCloseable {

    /** One region as the front end described it. */
    record Region(long guestAddr, long size, long userAddr, long mmapOffset) {
    }

    static final int REGION_BYTES = 32;
    static final int MAX_REGIONS = 8;

    private final List<Region> regions;
    private final List<MappedByteBuffer> mappings;
    private final GuestMemory memory;

    private MemoryTable(List<Region> regions, List<MappedByteBuffer> mappings, GuestMemory memory) {
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

    private static void check(int i, Region r) throws VhostUserException {
        if (r.size() <= 0 || r.size() > Integer.MAX_VALUE) {
            throw new VhostUserException("region " + i + " has size " + Long.toUnsignedString(r.size())
                    + "; 1 byte to 2 GiB per region is supported");
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
        List<MappedByteBuffer> mappings = new ArrayList<>();
        try {
            MemoryRegion[] mem = new MemoryRegion[regions.size()];
            for (int i = 0; i < regions.size(); i++) {
                Region r = regions.get(i);
                MappedByteBuffer b = mapOne(i, r, fds[i]);
                mappings.add(b);
                mem[i] = MemoryRegion.wrap(r.guestAddr(), b);
            }
            return new MemoryTable(List.copyOf(regions), mappings, new GuestMemory(mem));
        } catch (VhostUserException | RuntimeException e) {
            mappings.forEach(MemoryTable::unmap);
            throw e;
        } finally {
            for (FileDescriptor fd : fds) {
                Fds.closeQuietly(fd);
            }
        }
    }

    private static MappedByteBuffer mapOne(int i, Region r, FileDescriptor fd) throws VhostUserException {
        // A FileInputStream over the received fd would map read-only, and junixsocket's FileChannel
        // cast leaves a helper fd behind; reopening the fd through /proc gives a plain read-write
        // channel that closes cleanly (it works for memfds and regular files alike).
        int number;
        try {
            number = FileDescriptorCast.using(fd).as(Integer.class);
        } catch (IOException e) {
            throw new VhostUserException("region " + i + ": the fd cannot be used: " + e.getMessage(), e);
        }
        Path proc = Path.of("/proc/self/fd", Integer.toString(number));
        try (FileChannel ch = FileChannel.open(proc, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < r.mmapOffset() + r.size()) {
                throw new VhostUserException("region " + i + " needs " + (r.mmapOffset() + r.size())
                        + " bytes of its file, which has " + ch.size());
            }
            return ch.map(FileChannel.MapMode.READ_WRITE, r.mmapOffset(), r.size());
        } catch (IOException e) {
            throw new VhostUserException("region " + i + " cannot be mapped read-write: " + e.getMessage(), e);
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
        mappings.forEach(MemoryTable::unmap);
        mappings.clear();
    }

    private static final Method INVOKE_CLEANER;
    private static final Object UNSAFE;

    static {
        Method m = null;
        Object u = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            u = f.get(null);
            m = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Without it mappings go when the collector frees them; correct, only later.
        }
        INVOKE_CLEANER = m;
        UNSAFE = u;
    }

    private static void unmap(MappedByteBuffer b) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, b);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // already released or not unmappable: leave it to the collector
        }
    }
}
