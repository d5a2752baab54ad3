package dev.avps.vhostuser;

import dev.avps.runtime.memory.GuestMemory;
import dev.avps.runtime.memory.MemoryRegion;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guest RAM for tests, the way QEMU shares it: a file whose fd goes to the backend, mapped here
 * too so the test can act as the driver. Guest-physical addresses start at GPA, and the "front
 * end's virtual addresses" (which ring addresses use) sit at UVA.
 */
final class SharedMemory implements AutoCloseable {

    static final long GPA = 0x10_0000;
    static final long UVA = 0x7f00_0000_0000L;

    final Path file;
    final RandomAccessFile raf;
    final GuestMemory memory;
    final long size;

    /** {@code size} may exceed 4 GiB: the file is sparse, and only the pages a test touches are allocated. */
    SharedMemory(Path dir, long size) throws IOException {
        this.size = size;
        this.file = Files.createTempFile(dir, "guest-ram", ".bin");
        this.raf = new RandomAccessFile(file.toFile(), "rw");
        raf.setLength(size);
        FileChannel ch = raf.getChannel();
        this.memory = new GuestMemory(MemoryRegion.mapped(GPA, ch, 0, size));
    }

    FileDescriptor fd() throws IOException {
        return raf.getFD();
    }

    long uva(long gpa) {
        return gpa - GPA + UVA;
    }

    byte[] table() {
        return FrontEnd.memTable(new long[] {GPA, size, UVA, 0});
    }

    @Override
    public void close() throws IOException {
        raf.close();
        Files.deleteIfExists(file);
    }
}
