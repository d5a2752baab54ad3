package dev.avps.devices.vsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct virtio_vsock_hdr (44 bytes, little-endian): who talks to whom, the operation, and the
 * sender's receive-buffer credit. A mutable view, reused for every packet.
 */
final class VsockHeader {

    static final int SIZE = 44;
    static final short TYPE_STREAM = 1;
    static final short OP_REQUEST = 1;
    static final short OP_RESPONSE = 2;
    static final short OP_RST = 3;
    static final short OP_SHUTDOWN = 4;
    static final short OP_RW = 5;
    static final short OP_CREDIT_UPDATE = 6;
    static final short OP_CREDIT_REQUEST = 7;
    static final int SHUTDOWN_BOTH = 3;

    final byte[] bytes = new byte[SIZE];
    private final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

    long srcCid() {
        return b.getLong(0);
    }

    long dstCid() {
        return b.getLong(8);
    }

    int srcPort() {
        return b.getInt(16);
    }

    int dstPort() {
        return b.getInt(20);
    }

    int len() {
        return b.getInt(24);
    }

    short type() {
        return b.getShort(28);
    }

    short op() {
        return b.getShort(30);
    }

    int flags() {
        return b.getInt(32);
    }

    int bufAlloc() {
        return b.getInt(36);
    }

    int fwdCnt() {
        return b.getInt(40);
    }

    /** Fills the header of a packet from the host to the guest. */
    VsockHeader set(long srcCid, long dstCid, int srcPort, int dstPort, int len, short op, int flags, int bufAlloc,
            int fwdCnt) {
        b.putLong(0, srcCid).putLong(8, dstCid).putInt(16, srcPort).putInt(20, dstPort).putInt(24, len)
                .putShort(28, TYPE_STREAM).putShort(30, op).putInt(32, flags).putInt(36, bufAlloc).putInt(40, fwdCnt);
        return this;
    }
}
