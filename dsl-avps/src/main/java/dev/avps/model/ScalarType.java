package dev.avps.model;

/** The wire scalars of the language: width in bytes and the byte order on the wire. */
public enum ScalarType {
    U8(1, ByteOrder.NONE, "u8"),
    LE16(2, ByteOrder.LITTLE, "le16"),
    LE32(4, ByteOrder.LITTLE, "le32"),
    LE64(8, ByteOrder.LITTLE, "le64"),
    BE16(2, ByteOrder.BIG, "be16"),
    BE32(4, ByteOrder.BIG, "be32"),
    BE64(8, ByteOrder.BIG, "be64"),
    VIRTIO16(2, ByteOrder.VIRTIO, "virtio16"),
    VIRTIO32(4, ByteOrder.VIRTIO, "virtio32"),
    VIRTIO64(8, ByteOrder.VIRTIO, "virtio64");

    private final int size;
    private final ByteOrder order;
    private final String keyword;

    ScalarType(int size, ByteOrder order, String keyword) {
        this.size = size;
        this.order = order;
        this.keyword = keyword;
    }

    public int size() {
        return size;
    }

    public int bits() {
        return size * 8;
    }

    public ByteOrder order() {
        return order;
    }

    /** The spelling used in .avps sources. */
    public String keyword() {
        return keyword;
    }

    public static ScalarType ofKeyword(String keyword) {
        for (ScalarType t : values()) {
            if (t.keyword.equals(keyword)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown scalar type: " + keyword);
    }
}
