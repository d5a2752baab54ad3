package dev.avps.dsl.validation;

/**
 * The limits a spec must stay within, each with the reason it has that value. They keep every
 * tool that reads a spec (checker, layout engine, generators, language server) bounded in stack
 * depth, time and output size, whatever the input.
 */
public final class Limits {

    /**
     * Deepest nesting of brackets, parentheses, {@code !} and operator chains in one place. Every
     * tool walks expressions recursively (parser, validator, layout, templates); 100 levels keep
     * each walk a few hundred stack frames deep, and the deepest expression in the VIRTIO catalog
     * nests under 10.
     */
    public static final int MAX_NESTING = 100;

    /**
     * Characters in one spec file. The parser's node model takes a few dozen bytes per input
     * character, so an 80 MB file exhausts a default heap (the fuzz campaign found it); the
     * largest file in the VIRTIO catalog (net.avps) has about 21 KB, so 4 MiB leaves a wide margin.
     */
    public static final int MAX_FILE_CHARS = 4 * 1024 * 1024;

    /**
     * Digits in one number literal. The widest value the language needs is a 128-bit feature
     * mask (39 decimal digits); longer literals only cost quadratic conversion time.
     */
    public static final int MAX_NUMBER_DIGITS = 40;

    /**
     * Characters in one name. Generated file names are built from device names (plus a prefix
     * and an extension) and must stay under the usual 255-byte file-name limit; the longest
     * name in the VIRTIO catalog has 50 characters.
     */
    public static final int MAX_NAME_LENGTH = 128;

    /**
     * Bytes of one fixed-size layout: a struct, a union, or the fixed part of a request. A
     * descriptor carries a 32-bit length, so 2^32 - 1 is the hard ceiling; generated code
     * materialises fixed layouts whole (C structs, Java flyweights, per-element docs and tests),
     * and the largest fixed layout in VIRTIO 1.4 is about 1 KiB (gpu's EDID blob), so 64 KiB
     * leaves ample room while keeping generation fast. Run-time sized arrays are not bounded by
     * this: the device checks them against the chain's real length.
     */
    public static final int MAX_FIXED_BYTES = 64 * 1024;

    /**
     * Bytes of a device's config layout. vhost-user's GET_CONFIG/SET_CONFIG carry at most 256
     * bytes (QEMU's VHOST_USER_MAX_CONFIG_SIZE, and this project's runtime-vhost-user), and
     * QEMU's virtio-mmio window leaves 256 bytes of config after the registers at 0x100.
     */
    public static final int MAX_CONFIG_BYTES = 256;

    /** Queue indexes: queue_select and the notification index are 16-bit fields. */
    public static final int MAX_QUEUE_INDEX = 0xFFFF;

    private Limits() {
    }
}
