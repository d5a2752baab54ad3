package dev.avps.runtime;

/**
 * Buffers collected by a driver before submit, kept in chain order: readable ones first, then
 * writable ones, each group in the order it was staged. The usual out-then-in staging appends;
 * a readable buffer staged after writable ones shifts them up by one.
 */
final class Staging {
    private final long[] addr;
    private final int[] len;
    private int outs;
    private int count;
    private long inBytes;

    Staging(int capacity) {
        addr = new long[capacity];
        len = new int[capacity];
    }

    void out(long gpa, int length) {
        int n = count;
        if (n == addr.length) {
            throw new IllegalStateException("more than " + addr.length + " buffers staged");
        }
        int at = outs;
        if (n != at) {
            System.arraycopy(addr, at, addr, at + 1, n - at);
            System.arraycopy(len, at, len, at + 1, n - at);
        }
        addr[at] = gpa;
        len[at] = length;
        outs = at + 1;
        count = n + 1;
    }

    void in(long gpa, int length) {
        int n = count;
        if (n == addr.length) {
            throw new IllegalStateException("more than " + addr.length + " buffers staged");
        }
        addr[n] = gpa;
        len[n] = length;
        count = n + 1;
        inBytes += Integer.toUnsignedLong(length);
    }

    int count() {
        return count;
    }

    long addr(int i) {
        return addr[i];
    }

    int len(int i) {
        return len[i];
    }

    boolean writable(int i) {
        return i >= outs;
    }

    long inBytes() {
        return inBytes;
    }

    void clear() {
        outs = 0;
        count = 0;
        inBytes = 0;
    }
}
