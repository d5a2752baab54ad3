package dev.avps.vhostuser;

/**
 * Front-end requests of the vhost-user protocol (QEMU's "Vhost-user Protocol" document), by
 * their wire codes. Only the ones a device backend acts on are listed; any other code is an
 * unknown request and ends the connection.
 */
public enum VhostUserRequest {
    GET_FEATURES(1, true),
    SET_FEATURES(2, false),
    SET_OWNER(3, false),
    RESET_OWNER(4, false),
    SET_MEM_TABLE(5, false),
    SET_VRING_NUM(8, false),
    SET_VRING_ADDR(9, false),
    SET_VRING_BASE(10, false),
    GET_VRING_BASE(11, true),
    SET_VRING_KICK(12, false),
    SET_VRING_CALL(13, false),
    SET_VRING_ERR(14, false),
    GET_PROTOCOL_FEATURES(15, true),
    SET_PROTOCOL_FEATURES(16, false),
    GET_QUEUE_NUM(17, true),
    SET_VRING_ENABLE(18, false),
    GET_CONFIG(24, true),
    SET_CONFIG(25, false),
    RESET_DEVICE(34, false),
    GET_MAX_MEM_SLOTS(36, true),
    SET_STATUS(39, false),
    GET_STATUS(40, true);

    private static final VhostUserRequest[] BY_CODE = new VhostUserRequest[64];

    static {
        for (VhostUserRequest r : values()) {
            BY_CODE[r.code] = r;
        }
    }

    private final int code;
    private final boolean answered;

    VhostUserRequest(int code, boolean answered) {
        this.code = code;
        this.answered = answered;
    }

    public int code() {
        return code;
    }

    /** Whether the protocol always sends a reply (a GET), as opposed to an optional REPLY_ACK. */
    public boolean answered() {
        return answered;
    }

    /** The request with this code, or {@code null} when we do not implement it. */
    public static VhostUserRequest of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
