package dev.avps.runtime;

/**
 * Reusable holder filled by {@link DriverQueue#pollUsed}: which submitted chain came back and how
 * many bytes the device wrote into it.
 */
public final class Completion {
    private long cookie;
    private int id;
    private int length;

    void set(long cookie, int id, int length) {
        this.cookie = cookie;
        this.id = id;
        this.length = length;
    }

    /** The value passed to {@link DriverQueue#submit(long)}. */
    public long cookie() {
        return cookie;
    }

    /** The id returned by {@link DriverQueue#submit(long)} (split: head index, packed: buffer id). */
    public int id() {
        return id;
    }

    /** Bytes the device reports having written into the device-writable buffers. */
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "Completion[cookie=" + cookie + ", id=" + id + ", length=" + length + "]";
    }
}
