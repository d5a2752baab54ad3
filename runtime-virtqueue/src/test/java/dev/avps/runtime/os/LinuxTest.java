package dev.avps.runtime.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

class LinuxTest {
    @Test
    void memfdMappingIsTheFilesMemory() throws IOException {
        int fd = Linux.memfdCreate("avps-test", Linux.MFD_CLOEXEC);
        try {
            Linux.ftruncate(fd, 1 << 20);
            Arena arena = Arena.ofConfined();
            MemorySegment m = Linux.mapShared(fd, 0, 1 << 20, arena);
            try {
                m.set(ValueLayout.JAVA_LONG, 4096, 0x1122334455667788L);
                // Reading the file through another descriptor sees the store: the mapping is shared.
                try (FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
                    ch.read(b, 4096);
                    assertEquals(0x1122334455667788L, b.getLong(0));
                }
            } finally {
                arena.close();
            }
            // Unmapped with its arena: an access fails instead of faulting.
            assertThrows(IllegalStateException.class, () -> m.get(ValueLayout.JAVA_LONG, 4096));
        } finally {
            Linux.close(fd);
        }
    }

    @Test
    void eventfdCountsKicks() throws IOException {
        int fd = Linux.eventfd(0, Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK);
        try {
            Linux.eventfdWrite(fd, 2);
            Linux.eventfdWrite(fd, 3);
            assertEquals(5, Linux.eventfdRead(fd));
            IOException empty = assertThrows(IOException.class, () -> Linux.eventfdRead(fd));
            assertTrue(empty.getMessage().startsWith("read(eventfd " + fd + "): EAGAIN ("), empty.getMessage());
        } finally {
            Linux.close(fd);
        }
    }

    @Test
    void failuresNameTheCallAndErrno() {
        IOException e = assertThrows(IOException.class, () -> Linux.ftruncate(-1, 4096));
        assertTrue(e.getMessage().startsWith("ftruncate(fd -1, 4096): EBADF ("), e.getMessage());
        IOException m = assertThrows(IOException.class, () -> Linux.mapShared(-1, 0, 4096, Arena.global()));
        assertTrue(m.getMessage().startsWith("mmap(fd -1, offset 0, 4096 bytes): EBADF ("), m.getMessage());
    }
}
