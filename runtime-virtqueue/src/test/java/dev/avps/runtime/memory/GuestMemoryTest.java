package dev.avps.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestMemoryTest {
    private final GuestMemory twoRegions = new GuestMemory(
            MemoryRegion.heap(0x10000, 0x1000), MemoryRegion.direct(0x11000, 0x1000), MemoryRegion.heap(0x20000, 0x100));

    @Test
    void translatesIntoTheContainingRegion() {
        long t = twoRegions.translate(0x11010, 16);
        assertTrue(t >= 0);
        assertEquals(1, GuestMemory.regionIndex(t));
        assertEquals(0x10, GuestMemory.regionOffset(t));
    }

    @Test
    void reportsPreciseTranslationFailures() {
        assertEquals(GuestMemory.UNMAPPED, twoRegions.translate(0x5000, 1));
        assertEquals(GuestMemory.UNMAPPED, twoRegions.translate(0x12000, 1));
        assertEquals(GuestMemory.CROSSES_REGION, twoRegions.translate(0x10ff0, 0x20));
        assertEquals(GuestMemory.CROSSES_REGION, twoRegions.translate(0x200f0, 0x20));
        assertEquals(GuestMemory.WRAPS, twoRegions.translate(0xffff_ffff_ffff_fff0L, 0x20));
    }

    @Test
    void littleEndianAccessors() {
        twoRegions.writeInt(0x10000, 0x11223344);
        assertEquals((byte) 0x44, twoRegions.readByte(0x10000));
        assertEquals((short) 0x3344, twoRegions.readShort(0x10000));
        twoRegions.writeLong(0x11008, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, twoRegions.readLong(0x11008));
        assertEquals(0x05060708, twoRegions.readInt(0x11008));
    }

    @Test
    void bulkCopiesCrossAdjacentRegionsButNotGaps() {
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        twoRegions.write(0x10fe0, data, 0, 64);
        byte[] back = new byte[64];
        twoRegions.read(0x10fe0, back, 0, 64);
        assertArrayEquals(data, back);
        assertEquals((byte) 32, twoRegions.readByte(0x11000));
        assertTrue(twoRegions.isMapped(0x10fe0, 64));
        assertFalse(twoRegions.isMapped(0x11fe0, 64));
        GuestMemoryException e = assertThrows(GuestMemoryException.class, () -> twoRegions.read(0x11fe0, back, 0, 64));
        assertEquals(0x11fe0, e.address());
        assertEquals(64, e.length());
    }

    @Test
    void rejectsOverlappingRegions() {
        assertThrows(IllegalArgumentException.class,
                () -> new GuestMemory(MemoryRegion.heap(0, 0x1000), MemoryRegion.heap(0xfff, 0x10)));
    }

    @Test
    void regionAtTopOfAddressSpace() {
        GuestMemory top = new GuestMemory(MemoryRegion.heap(-0x1000L, 0x1000));
        assertTrue(top.translate(-0x10L, 0x10) >= 0);
        assertEquals(GuestMemory.WRAPS, top.translate(-0x10L, 0x11));
        top.writeLong(-8L, 42);
        assertEquals(42, top.readLong(-8L));
    }

    @Test
    void fileMappedRegionIsSharedWithTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("guest.mem");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            GuestMemory mem = new GuestMemory(MemoryRegion.mapped(0x4000, ch, 0, 4096));
            mem.writeInt(0x4010, 0xCAFEBABE);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0xBE, bytes[0x10]);
        assertEquals((byte) 0xCA, bytes[0x13]);
    }
}
