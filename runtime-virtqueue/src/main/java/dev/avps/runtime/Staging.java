package dev.avps.runtime;

/** Buffers collected by a driver before submit: readable ones first, then writable ones. */
final class Staging {
    private final long[] outAddr;
    private final int[] outLen;
    private final long[] inAddr;
    private final int[] inLen;
    private int outs;
    private int ins;
    private long inBytes;

    Staging(int capacity) {
        outAddr = new long[capacity];
        outLen = new int[capacity];
        inAddr = new long[capacity];
        inLen = new int[capacity];
    }

    void out(long gpa, int length) {
        if (outs + ins == outAddr.length) {
            throw new IllegalStateException("more than " + outAddr.length + " buffers staged");
        }
        outAddr[outs] = gpa;
        outLen[outs++] = length;
    }

    void in(long gpa, int length) {
        if (outs + ins == inAddr.length) {
            throw new IllegalStateException("more than " + inAddr.length + " buffers staged");
        }
        inAddr[ins] = gpa;
        inLen[ins++] = length;
        inBytes += Integer.toUnsignedLong(length);
    }

    int count() {
        return outs + ins;
    }

    long addr(int i) {
        return i < outs ? outAddr[i] : inAddr[i - outs];
    }

    int len(int i) {
        return i < outs ? outLen[i] : inLen[i - outs];
    }

    boolean writable(int i) {
        return i >= outs;
    }

    long inBytes() {
        return inBytes;
    }

    void clear() {
        outs = 0;
        ins = 0;
        inBytes = 0;
    }
}
