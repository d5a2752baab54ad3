package dev.avps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.runtime.transport.LoopbackTransport;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Segment views expose exactly a segment's guest memory, and writes through them land there. */
class ChainViewTest {

    @Test
    void viewsCoverExactlyTheirSegments() throws Exception {
        LoopbackTransport t = LoopbackTransport.create(VirtioFeatures.VERSION_1, 8, 0, 1 << 12, false);
        long out = t.dataBase();
        long in = out + 256;
        t.memory().write(out, new byte[] {1, 2, 3, 4, 5}, 0, 5);
        t.driver().addOut(out, 5).addIn(in, 3).addIn(in + 100, 2).submit(7);
        DescriptorChain c = t.device().newChain();
        assertTrue(t.device().pop(c));
        ByteBuffer r = c.readableView(0);
        assertEquals(5, r.remaining());
        assertEquals(3, r.get(2));
        ByteBuffer w1 = c.writableView(1);
        assertEquals(2, w1.remaining());
        w1.put((byte) 9).put((byte) 8);
        assertEquals(9, t.memory().readByte(in + 100));
        assertEquals(8, t.memory().readByte(in + 101));
        assertEquals(0, t.memory().readByte(in + 102), "nothing past the segment");
        assertThrows(IndexOutOfBoundsException.class, () -> c.writableView(2));
        assertThrows(IndexOutOfBoundsException.class, () -> c.readableView(1));
    }
}
