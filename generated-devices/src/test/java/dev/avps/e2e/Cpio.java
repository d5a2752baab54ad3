package dev.avps.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes a gzip-compressed cpio archive in the "newc" format the kernel unpacks as initramfs. */
final class Cpio {

    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private int inode = 1;

    Cpio dir(String path) throws IOException {
        return entry(path, 0040755, new byte[0]);
    }

    Cpio file(String path, int mode, byte[] data) throws IOException {
        return entry(path, 0100000 | mode, data);
    }

    Cpio symlink(String path, String target) throws IOException {
        return entry(path, 0120777, target.getBytes(StandardCharsets.UTF_8));
    }

    private Cpio entry(String name, int mode, byte[] data) throws IOException {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        int[] fields = {inode++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, n.length, 0};
        for (int f : fields) {
            h.append(String.format("%08x", f));
        }
        raw.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        raw.write(n);
        pad();
        raw.write(data);
        pad();
        return this;
    }

    private void pad() {
        while (raw.size() % 4 != 0) {
            raw.write(0);
        }
    }

    void writeGzipTo(OutputStream out) throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            raw.writeTo(gz);
        }
    }
}
