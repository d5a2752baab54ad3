package dev.avps.dsl.ide.rpc;

/** The last few bytes read, oldest first: where a resynchronising search has to start again. */
final class RecentBytes {

    private final byte[] ring;
    private long count;

    RecentBytes(int size) {
        this.ring = new byte[size];
    }

    void add(int b) {
        ring[(int) (count++ % ring.length)] = (byte) b;
    }

    byte[] bytes() {
        int n = (int) Math.min(count, ring.length);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = ring[(int) ((count - n + i) % ring.length)];
        }
        return out;
    }
}
