package dev.avps.runtime;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * Unchecked little-endian access to the host memory behind guest regions, through
 * {@code sun.misc.Unsafe}: a ring access costs one load or store instead of a {@code ByteBuffer}
 * view {@code VarHandle}'s bounds, alignment, read-only and liveness checks.
 *
 * <p>Nothing here checks bounds. Every caller passes a location inside a range it validated against
 * guest memory first: ring areas once at queue setup ({@link Rings#map}), an indirect table when
 * its descriptor is parsed, and ring slots computed from indexes that are masked or compared with
 * the ring size before use. A heap region is addressed as (its {@code byte[]}, array-relative
 * offset), an off-heap or file-mapped one as ({@code null}, absolute address): the usual Unsafe
 * (base, offset) pair, which stays valid when the GC moves the array. Whoever holds such a pair also
 * holds the region's {@code ByteBuffer}, so a direct or mapped buffer cannot be freed under it.
 */
final class RawMemory {
    static final Unsafe U;
    private static final long BUFFER_ADDRESS;
    private static final long BYTE_ARRAY_BASE;
    /** VIRTIO 1.x structures are little-endian; swap on a big-endian host. */
    private static final boolean SWAP = ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN;
    /**
     * Whether plain loads and stores may be misaligned. Only indirect tables and device data can
     * be (their guest addresses are the driver's choice); ring-area alignment is checked at setup.
     */
    private static final boolean UNALIGNED_OK = unalignedOk(System.getProperty("os.arch", ""));

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
            BUFFER_ADDRESS = U.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            BYTE_ARRAY_BASE = U.arrayBaseOffset(byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RawMemory() {
    }

    private static boolean unalignedOk(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64");
    }

    /** The Unsafe base object of a region buffer: its array, or null when off-heap. */
    static Object base(ByteBuffer b) {
        return b.isDirect() ? null : b.array();
    }

    /** The Unsafe offset of byte {@code index} of a region buffer, relative to {@link #base}. */
    static long address(ByteBuffer b, int index) {
        return (b.isDirect() ? U.getLong(b, BUFFER_ADDRESS) : BYTE_ARRAY_BASE + b.arrayOffset()) + index;
    }

    /** (base, address of byte 0) of every region of {@code memory}, indexed like its regions. */
    static final class Regions {
        final Object[] base;
        final long[] address;
        /** Keeps direct and mapped buffers reachable while their raw addresses are in use. */
        private final ByteBuffer[] buffers;

        Regions(GuestMemory memory) {
            int n = memory.regionCount();
            base = new Object[n];
            address = new long[n];
            buffers = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                MemoryRegion r = memory.region(i);
                buffers[i] = r.buffer();
                base[i] = base(buffers[i]);
                address[i] = address(buffers[i], 0);
            }
        }
    }

    // The access primitives. Calling Unsafe with a literal null base on the off-heap path tells C2
    // that the access is to raw memory, which cannot alias a Java field, so the queue fields it
    // keeps in registers survive ring stores. An unknown base would make each access a barrier
    // for every field of every object. Heap regions take the other branch.

    private static long ld64(Object b, long at) {
        return b == null ? U.getLong(null, at) : U.getLong(b, at);
    }

    private static int ld32(Object b, long at) {
        return b == null ? U.getInt(null, at) : U.getInt(b, at);
    }

    private static short ld16(Object b, long at) {
        return b == null ? U.getShort(null, at) : U.getShort(b, at);
    }

    private static byte ld8(Object b, long at) {
        return b == null ? U.getByte(null, at) : U.getByte(b, at);
    }

    private static void st64(Object b, long at, long v) {
        if (b == null) {
            U.putLong(null, at, v);
        } else {
            U.putLong(b, at, v);
        }
    }

    private static void st32(Object b, long at, int v) {
        if (b == null) {
            U.putInt(null, at, v);
        } else {
            U.putInt(b, at, v);
        }
    }

    private static void st16(Object b, long at, short v) {
        if (b == null) {
            U.putShort(null, at, v);
        } else {
            U.putShort(b, at, v);
        }
    }

    private static void st8(Object b, long at, byte v) {
        if (b == null) {
            U.putByte(null, at, v);
        } else {
            U.putByte(b, at, v);
        }
    }

    static long getLong(Object base, long at) {
        if (UNALIGNED_OK || (at & 7) == 0) {
            long v = ld64(base, at);
            return SWAP ? Long.reverseBytes(v) : v;
        }
        return getInt(base, at) & 0xffffffffL | (long) getInt(base, at + 4) << 32;
    }

    static int getInt(Object base, long at) {
        if (UNALIGNED_OK || (at & 3) == 0) {
            int v = ld32(base, at);
            return SWAP ? Integer.reverseBytes(v) : v;
        }
        return getU16(base, at) | getU16(base, at + 2) << 16;
    }

    /** Unsigned 16-bit value. */
    static int getU16(Object base, long at) {
        if (UNALIGNED_OK || (at & 1) == 0) {
            short v = ld16(base, at);
            return (SWAP ? Short.reverseBytes(v) : v) & 0xffff;
        }
        return ld8(base, at) & 0xff | (ld8(base, at + 1) & 0xff) << 8;
    }

    static void putLong(Object base, long at, long v) {
        if (UNALIGNED_OK || (at & 7) == 0) {
            st64(base, at, SWAP ? Long.reverseBytes(v) : v);
        } else {
            putInt(base, at, (int) v);
            putInt(base, at + 4, (int) (v >>> 32));
        }
    }

    static void putInt(Object base, long at, int v) {
        if (UNALIGNED_OK || (at & 3) == 0) {
            st32(base, at, SWAP ? Integer.reverseBytes(v) : v);
        } else {
            putShort(base, at, v);
            putShort(base, at + 2, v >>> 16);
        }
    }

    /** Stores the low 16 bits of {@code v}. */
    static void putShort(Object base, long at, int v) {
        if (UNALIGNED_OK || (at & 1) == 0) {
            st16(base, at, SWAP ? Short.reverseBytes((short) v) : (short) v);
        } else {
            st8(base, at, (byte) v);
            st8(base, at + 1, (byte) (v >>> 8));
        }
    }

    /**
     * Load-acquire of a ring index or flags word: no later load or store moves above it. The
     * location is 2-byte aligned (checked at setup), so the load is single-copy atomic.
     */
    static int getU16Acquire(Object base, long at) {
        short v = ld16(base, at);
        VarHandle.acquireFence();
        return (SWAP ? Short.reverseBytes(v) : v) & 0xffff;
    }

    /** Store-release of a ring index or flags word: no earlier load or store moves below it. */
    static void putU16Release(Object base, long at, int v) {
        VarHandle.releaseFence();
        st16(base, at, SWAP ? Short.reverseBytes((short) v) : (short) v);
    }
}
