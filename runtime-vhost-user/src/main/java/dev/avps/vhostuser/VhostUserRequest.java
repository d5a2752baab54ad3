package dev.avps.vhostuser;

/**
 * Front-end requests of the vhost-user protocol (QEMU's "Vhost-user Protocol" document), by
 * their wire codes. Only the ones a device backend acts on are listed; any other code is an
 * unknown request and ends the connection.
 *
 * <p>Each request also states what it may carry, in this one place: its exact payload size
 * ({@link #VARIABLE} when the payload says its own length and the handler checks it) and the most
 * fds that may come with it. Anything beyond either ends the connection with the real numbers.
 */
public enum VhostUserRequest {
    GET_FEATURES(1, true, 0, 0),
    SET_FEATURES(2, false, 8, 0),
    SET_OWNER(3, false, 0, 0),
    RESET_OWNER(4, false, 0, 0),
    /** Header (8 bytes) plus 32 per region, one fd per region. */
    SET_MEM_TABLE(5, false, VhostUserRequest.VARIABLE, MemoryTable.MAX_REGIONS),
    SET_VRING_NUM(8, false, 8, 0),
    SET_VRING_ADDR(9, false, 40, 0),
    SET_VRING_BASE(10, false, 8, 0),
    GET_VRING_BASE(11, true, 8, 0),
    /** The u64 names the queue, and says (bit 8) whether the fd is missing. */
    SET_VRING_KICK(12, false, 8, 1),
    SET_VRING_CALL(13, false, 8, 1),
    SET_VRING_ERR(14, false, 8, 1),
    GET_PROTOCOL_FEATURES(15, true, 0, 0),
    SET_PROTOCOL_FEATURES(16, false, 8, 0),
    GET_QUEUE_NUM(17, true, 0, 0),
    SET_VRING_ENABLE(18, false, 8, 0),
    /** BACKEND_REQ: no payload, one fd, a socket for requests the backend starts. */
    SET_BACKEND_REQ_FD(21, false, 0, 1),
    /** 12 bytes of offset, size and flags, then size bytes. */
    GET_CONFIG(24, true, VhostUserRequest.VARIABLE, 0),
    SET_CONFIG(25, false, VhostUserRequest.VARIABLE, 0),
    RESET_DEVICE(34, false, 0, 0),
    GET_MAX_MEM_SLOTS(36, true, 0, 0),
    /** CONFIGURE_MEM_SLOTS: 8 bytes of padding, then one region as in SET_MEM_TABLE, with its fd. */
    ADD_MEM_REG(37, false, 40, 1),
    /** The region to drop, named by its guest address and size; its fd (if sent) is only closed. */
    REM_MEM_REG(38, false, 40, 1),
    SET_STATUS(39, false, 8, 0),
    GET_STATUS(40, true, 0, 0);

    /** A payload whose length the handler checks against the payload's own fields. */
    public static final int VARIABLE = -1;

    private static final VhostUserRequest[] BY_CODE = new VhostUserRequest[64];
    /** The most fds any request may carry: more in one message is refused before it is parsed. */
    static final int MOST_FDS;

    static {
        int most = 0;
        for (VhostUserRequest r : values()) {
            BY_CODE[r.code] = r;
            most = Math.max(most, r.maxFds);
        }
        MOST_FDS = most;
    }

    private final int code;
    private final boolean answered;
    private final int payloadSize;
    private final int maxFds;

    VhostUserRequest(int code, boolean answered, int payloadSize, int maxFds) {
        this.code = code;
        this.answered = answered;
        this.payloadSize = payloadSize;
        this.maxFds = maxFds;
    }

    public int code() {
        return code;
    }

    /** Whether the protocol always sends a reply (a GET), as opposed to an optional REPLY_ACK. */
    public boolean answered() {
        return answered;
    }

    /** The exact payload size in bytes, or {@link #VARIABLE}. */
    public int payloadSize() {
        return payloadSize;
    }

    /** The most fds that may come with this request. */
    public int maxFds() {
        return maxFds;
    }

    /** The request with this code, or {@code null} when we do not implement it. */
    public static VhostUserRequest of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Refuses a message whose fd count or payload size this request does not allow. */
    void checkShape(Message m) throws VhostUserException {
        int fds = m.fds().length;
        if (fds > maxFds) {
            throw new VhostUserException(this + " came with " + fds + (fds == 1 ? " fd" : " fds") + "; it takes "
                    + (maxFds == 0 ? "none" : "at most " + maxFds));
        }
        if (payloadSize != VARIABLE && m.size() != payloadSize) {
            throw new VhostUserException(this + " carries a " + m.size() + "-byte payload; it takes exactly "
                    + payloadSize);
        }
    }
}
