package dev.avps.devices.net;

/** The ones' complement sum of IP, ICMP, UDP and TCP (RFC 1071). */
final class InternetChecksum {

    private InternetChecksum() {
    }

    /** Adds {@code len} bytes from {@code off} to a running 32-bit sum, as big-endian 16-bit words. */
    static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum into the 16-bit checksum to store (its complement). */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int of(byte[] b, int off, int len) {
        return finish(add(0, b, off, len));
    }
}
