package dev.avps.vhostuser;

import dev.avps.runtime.device.VirtioDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * GET_CONFIG and SET_CONFIG: a window (offset, size) onto the device's configuration space. The
 * payload carries its own length, so the sizes are checked here against the payload and against
 * the space, with the numbers in the reason.
 */
final class ConfigRequests {

    /** The most configuration bytes a front end may ask for at once. */
    private static final int MAX_CONFIG = 256;

    private ConfigRequests() {
    }

    static void get(Message m, VirtioDevice device, Wire wire) throws VhostUserException, IOException {
        int offset = m.u32("GET_CONFIG", 0);
        int size = m.u32("GET_CONFIG", 4);
        if (size < 0 || size > MAX_CONFIG || offset < 0 || offset > MAX_CONFIG - size) {
            throw new VhostUserException("GET_CONFIG of " + Integer.toUnsignedString(size) + " bytes at offset "
                    + Integer.toUnsignedString(offset) + " exceeds the " + MAX_CONFIG + "-byte config space");
        }
        if (m.size() != 12 + size) {
            throw new VhostUserException("GET_CONFIG of " + size + " bytes carries a " + m.size()
                    + "-byte payload; it takes exactly " + (12 + size));
        }
        byte[] data = new byte[size];
        int have = Math.max(0, Math.min(size, device.configSize() - offset));
        if (have > 0) {
            byte[] part = new byte[have];
            device.readConfig(offset, part);
            System.arraycopy(part, 0, data, 0, have);
        }
        ByteBuffer b = ByteBuffer.allocate(12 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(offset).putInt(size).putInt(m.u32("GET_CONFIG", 8)).put(data);
        wire.reply(m.code(), b.array());
    }

    static void set(Message m, VirtioDevice device) throws VhostUserException {
        int offset = m.u32("SET_CONFIG", 0);
        int size = m.u32("SET_CONFIG", 4);
        if (size < 0 || size != m.size() - 12 || offset < 0 || offset > device.configSize() - size) {
            throw new VhostUserException("SET_CONFIG of " + Integer.toUnsignedString(size) + " bytes at offset "
                    + Integer.toUnsignedString(offset) + " does not fit the payload or the "
                    + device.configSize() + "-byte config space");
        }
        byte[] data = new byte[size];
        m.payload().position(12).get(data);
        device.writeConfig(offset, data);
    }
}
