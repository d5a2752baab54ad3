package dev.avps.devices.can;

import dev.avps.generated.can.VirtioCanFlags;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One CAN frame as virtio-can carries it: the identifier (11 bits, or 29 with EXTENDED), the
 * VIRTIO_CAN_FLAGS_* bits and the payload. An RTR frame's payload is as many zero bytes as the
 * data length it requests, which is how Linux's driver sends one.
 */
public record CanFrame(int canId, int flags, byte[] data) {

    public static final int EXTENDED = (int) VirtioCanFlags.VIRTIO_CAN_FLAGS_EXTENDED;
    public static final int FD = (int) VirtioCanFlags.VIRTIO_CAN_FLAGS_FD;
    public static final int RTR = (int) VirtioCanFlags.VIRTIO_CAN_FLAGS_RTR;
    /** Every flag the spec defines; a frame with any other bit is refused. */
    public static final int KNOWN_FLAGS = EXTENDED | FD | RTR;
    public static final int SFF_MASK = 0x7ff;
    public static final int EFF_MASK = 0x1fffffff;

    public CanFrame {
        data = data.clone();
    }

    /** A classic data frame with a standard (11-bit) identifier. */
    public static CanFrame classic(int canId, byte... data) {
        return new CanFrame(canId, 0, data);
    }

    public boolean extended() {
        return (flags & EXTENDED) != 0;
    }

    public boolean fd() {
        return (flags & FD) != 0;
    }

    public boolean rtr() {
        return (flags & RTR) != 0;
    }

    /** The identifier mask of this frame's format. */
    public int idMask() {
        return extended() ? EFF_MASK : SFF_MASK;
    }

    /** Whether a CAN FD frame can carry {@code n} bytes (its DLC codes stop at 8, then 12..64). */
    static boolean fdLength(int n) {
        return n <= 8 || n == 12 || n == 16 || n == 20 || n == 24 || n == 32 || n == 48 || n == 64;
    }

    /** Why this frame cannot go on a bus of the given capabilities, or null when it can. */
    String problem(boolean classic, boolean fdOk, boolean rtrOk) {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return "undefined flags 0x" + Integer.toHexString(flags & ~KNOWN_FLAGS);
        }
        if ((canId & ~idMask()) != 0) {
            return "identifier 0x" + Integer.toHexString(canId) + " beyond " + (extended() ? 29 : 11) + " bits";
        }
        if (fd()) {
            if (!fdOk) {
                return "a CAN FD frame without CAN_FD";
            }
            if (rtr()) {
                return "an RTR frame cannot be CAN FD";
            }
            if (!fdLength(data.length)) {
                return "a CAN FD length of " + data.length;
            }
            return null;
        }
        if (!classic) {
            return "a classic frame without CAN_CLASSIC";
        }
        if (rtr() && !rtrOk) {
            return "an RTR frame without RTR_FRAMES";
        }
        if (data.length > 8) {
            return "a classic length of " + data.length;
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanFrame f && f.canId == canId && f.flags == flags && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return canId * 31 + flags + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format(extended() ? "%08X" : "%03X", canId) + (fd() ? "##" : "#") + (rtr() ? "R" : "")
                + HexFormat.of().formatHex(data);
    }
}
