package dev.avps.devices.vsock;

import dev.avps.generated.vsock.VirtioVsockHdr;
import dev.avps.generated.vsock.VirtioVsockOp;
import dev.avps.generated.vsock.VirtioVsockShutdown;
import dev.avps.generated.vsock.VirtioVsockType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct virtio_vsock_hdr (44 bytes, little-endian): who talks to whom, the operation, and the
 * sender's receive-buffer credit. A mutable view, reused for every packet.
 */
final class VsockHeader {

    // Wire values come from the catalog through the generated classes, not retyped here.
    static final int SIZE = VirtioVsockHdr.SIZE;
    static final short TYPE_STREAM = (short) VirtioVsockType.VIRTIO_VSOCK_TYPE_STREAM;
    static final short OP_REQUEST = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_REQUEST;
    static final short OP_RESPONSE = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_RESPONSE;
    static final short OP_RST = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_RST;
    static final short OP_SHUTDOWN = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_SHUTDOWN;
    static final short OP_RW = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_RW;
    static final short OP_CREDIT_UPDATE = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_CREDIT_UPDATE;
    static final short OP_CREDIT_REQUEST = (short) VirtioVsockOp.VIRTIO_VSOCK_OP_CREDIT_REQUEST;
    static final int SHUTDOWN_BOTH = (int) (VirtioVsockShutdown.VIRTIO_VSOCK_SHUTDOWN_RCV
            | VirtioVsockShutdown.VIRTIO_VSOCK_SHUTDOWN_SEND);

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
