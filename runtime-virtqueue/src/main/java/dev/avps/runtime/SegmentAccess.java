package dev.avps.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian loads and stores on guest memory segments for the four ring ends: ring areas
 * (sliced once at setup, see {@link Rings#map}) and indirect tables (sliced when their descriptor
 * is parsed).
 *
 * <p>Every access is still checked by the segment (bounds against the slice, liveness of its
 * arena), so a wrong offset fails with an exception instead of touching other memory. The
 * layouts are the unaligned ones: indirect tables and device data sit wherever the driver put
 * them, and an unaligned layout costs no alignment test per access (the aligned ones would, and
 * would refuse {@code byte[]}-backed heap regions outright). Where alignment matters, for index and
 * flags words that must be single-copy atomic, {@link Rings#map} has checked it once at setup; on
 * the hosts we run on an aligned 2-byte load or store is one instruction whichever layout asks for it.
 *
 * <p>Acquire and release are fences around a plain access rather than {@code getAcquire} and
 * {@code setRelease} on a segment {@code VarHandle}, because those need an aligned layout and thus
 * a segment whose maximum alignment is at least 2, which a {@code byte[]} heap region is not.
 * VIRTIO structures are little-endian; the layouts swap on a big-endian host.
 */
final class SegmentAccess {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SegmentAccess() {
    }

    static long getLong(MemorySegment s, long at) {
        return s.get(U64, at);
    }

    static int getInt(MemorySegment s, long at) {
        return s.get(U32, at);
    }

    /** Unsigned 16-bit value. */
    static int getU16(MemorySegment s, long at) {
        return s.get(U16, at) & 0xffff;
    }

    static void putLong(MemorySegment s, long at, long v) {
        s.set(U64, at, v);
    }

    static void putInt(MemorySegment s, long at, int v) {
        s.set(U32, at, v);
    }

    /** Stores the low 16 bits of {@code v}. */
    static void putShort(MemorySegment s, long at, int v) {
        s.set(U16, at, (short) v);
    }

    /**
     * Load-acquire of a ring index or flags word: no later load or store moves above it. The
     * location is 2-byte aligned (checked at setup), so the load is single-copy atomic.
     */
    static int getU16Acquire(MemorySegment s, long at) {
        short v = s.get(U16, at);
        VarHandle.acquireFence();
        return v & 0xffff;
    }

    /** Store-release of a ring index or flags word: no earlier load or store moves below it. */
    static void putU16Release(MemorySegment s, long at, int v) {
        VarHandle.releaseFence();
        s.set(U16, at, (short) v);
    }
}
