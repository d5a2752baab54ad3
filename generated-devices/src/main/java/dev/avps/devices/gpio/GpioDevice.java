package dev.avps.devices.gpio;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.device.VirtioDevice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * virtio-gpio (device ID 41) with simulated lines: outputs keep what the driver writes, inputs
 * read a level the host sets. Interrupts (VIRTIO_GPIO_F_IRQ) are not offered, so the event queue
 * stays idle.
 */
public final class GpioDevice implements VirtioDevice {

    static final int GET_NAMES = 1;
    static final int GET_DIRECTION = 2;
    static final int SET_DIRECTION = 3;
    static final int GET_VALUE = 4;
    static final int SET_VALUE = 5;
    static final byte OK = 0;
    static final byte ERR = 1;
    public static final int DIRECTION_NONE = 0;
    public static final int DIRECTION_OUT = 1;
    public static final int DIRECTION_IN = 2;
    private static final long VERSION_1 = 1L << 32;

    private final int lines;
    private final byte[] names;
    private final int[] direction;
    private final int[] value;
    private final int[] inputLevel;
    private final byte[] request = new byte[8];
    private final ByteBuffer req = ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN);

    /** @param lineNames one name per line, in line order */
    public GpioDevice(String... lineNames) {
        this.lines = lineNames.length;
        StringBuilder b = new StringBuilder();
        for (String n : lineNames) {
            b.append(n).append('\0');
        }
        this.names = b.toString().getBytes(StandardCharsets.US_ASCII);
        this.direction = new int[lines];
        this.value = new int[lines];
        this.inputLevel = new int[lines];
    }

    /** The level an input line reads (the outside world driving the pin). */
    public synchronized void setInputLevel(int line, int level) {
        inputLevel[line] = level == 0 ? 0 : 1;
    }

    public synchronized int direction(int line) {
        return direction[line];
    }

    public synchronized int outputValue(int line) {
        return value[line];
    }

    @Override
    public long features() {
        return VERSION_1;
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public int configSize() {
        return 8;
    }

    @Override
    public void readConfig(int offset, byte[] dst) {
        byte[] cfg = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) lines).putShort((short) 0)
                .putInt(names.length).array();
        System.arraycopy(cfg, offset, dst, 0, Math.min(dst.length, 8 - offset));
    }

    @Override
    public synchronized int handle(int queue, DescriptorChain r) {
        if (queue != 0) {
            return DEFER; // event queue: no interrupts without VIRTIO_GPIO_F_IRQ
        }
        if (r.readableBytes() < 8 || r.writableBytes() < 1) {
            return 0;
        }
        r.copyFromReadable(0, request, 0, 8);
        int type = req.getShort(0) & 0xffff;
        int gpio = req.getShort(2) & 0xffff;
        int val = req.getInt(4);
        if (type == GET_NAMES) {
            if (r.writableBytes() < 1 + names.length) {
                r.writeByte(0, ERR);
                return 1;
            }
            r.writeByte(0, OK);
            r.copyToWritable(1, names, 0, names.length);
            return 1 + names.length;
        }
        if (gpio >= lines || r.writableBytes() < 2) {
            r.writeByte(0, ERR);
            return 1;
        }
        byte status = OK;
        int out = 0;
        switch (type) {
            case GET_DIRECTION -> out = direction[gpio];
            case SET_DIRECTION -> {
                if (val < DIRECTION_NONE || val > DIRECTION_IN) {
                    status = ERR;
                } else {
                    direction[gpio] = val;
                }
            }
            case GET_VALUE -> out = direction[gpio] == DIRECTION_IN ? inputLevel[gpio] : value[gpio];
            case SET_VALUE -> {
                // Drivers set the level before switching a line to output, so it is driven from
                // the first instant; the value is kept whatever the direction.
                if (val != 0 && val != 1) {
                    status = ERR;
                } else {
                    value[gpio] = val;
                }
            }
            default -> status = ERR;
        }
        r.writeByte(0, status);
        r.writeByte(1, (byte) out);
        return 2;
    }
}
