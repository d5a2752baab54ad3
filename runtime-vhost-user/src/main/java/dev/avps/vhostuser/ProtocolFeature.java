package dev.avps.vhostuser;

/** Protocol feature bits negotiated with GET/SET_PROTOCOL_FEATURES (bit numbers on the wire). */
public final class ProtocolFeature {

    public static final int MQ = 0;
    public static final int REPLY_ACK = 3;
    /** The front end hands over a socket (SET_BACKEND_REQ_FD) for requests the backend starts. */
    public static final int BACKEND_REQ = 5;
    public static final int CONFIG = 9;
    public static final int RESET_DEVICE = 13;
    public static final int CONFIGURE_MEM_SLOTS = 15;
    public static final int STATUS = 16;

    /** The virtio feature bit that says protocol features exist at all. */
    public static final int VIRTIO_F_PROTOCOL_FEATURES = 30;

    private ProtocolFeature() {
    }

    public static long bit(int n) {
        return 1L << n;
    }
}
