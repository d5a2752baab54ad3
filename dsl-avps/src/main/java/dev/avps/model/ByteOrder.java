package dev.avps.model;

/** Byte order of a scalar on the wire. */
public enum ByteOrder {
    /** Single bytes have no order. */
    NONE,
    LITTLE,
    BIG,
    /**
     * Transitional "virtio-endian": guest-native for legacy devices, little-endian once
     * VERSION_1 is negotiated (Linux's __virtio16/32/64).
     */
    VIRTIO
}
