package dev.avps.dsl.ide.rpc;

import java.util.Arrays;

/**
 * Collects bytes up to a cap, growing only as bytes really arrive: a header may claim 16 MiB for
 * a body of ten bytes, and that claim alone must not cost 16 MiB.
 */
final class ByteSink {

    private final int cap;
    private byte[] bytes;
    private int size;

    ByteSink(int cap) {
        this.cap = cap;
        this.bytes = new byte[Math.min(cap, 64 * 1024)];
    }

    /** Appends a byte; bytes beyond the cap are dropped. */
    void add(int b) {
        if (size == cap) {
            return;
        }
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(cap, 2L * bytes.length));
        }
        bytes[size++] = (byte) b;
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, size);
    }
}
