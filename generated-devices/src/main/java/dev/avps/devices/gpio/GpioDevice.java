package dev.avps.devices.gpio;

import dev.avps.generated.gpio.GetNamesRequest;
import dev.avps.generated.gpio.GpioDeviceBase;
import dev.avps.generated.gpio.IrqRequest;
import dev.avps.generated.gpio.LineRequest;
import dev.avps.generated.gpio.VirtioGpioDirection;
import dev.avps.generated.gpio.VirtioGpioMsgType;
import dev.avps.generated.gpio.VirtioGpioRequest;
import dev.avps.generated.gpio.VirtioGpioResponse;
import dev.avps.generated.gpio.VirtioGpioStatus;
import dev.avps.runtime.DescriptorChain;
import java.nio.charset.StandardCharsets;

/**
 * virtio-gpio (device ID 41) with simulated lines: outputs keep what the driver writes, inputs
 * read a level the host sets. Dispatch, configuration layout and the request/response views
 * come from {@link GpioDeviceBase}, generated from spec-models' gpio.avps. Interrupts
 * (VIRTIO_GPIO_F_IRQ) are not offered, so event-queue buffers are kept unused.
 */
public final class GpioDevice extends GpioDeviceBase {

    // Wire values come from the catalog through the generated classes, not retyped here.
    static final int GET_NAMES = VirtioGpioMsgType.VIRTIO_GPIO_MSG_GET_NAMES;
    static final int GET_DIRECTION = VirtioGpioMsgType.VIRTIO_GPIO_MSG_GET_DIRECTION;
    static final int SET_DIRECTION = VirtioGpioMsgType.VIRTIO_GPIO_MSG_SET_DIRECTION;
    static final int GET_VALUE = VirtioGpioMsgType.VIRTIO_GPIO_MSG_GET_VALUE;
    static final int SET_VALUE = VirtioGpioMsgType.VIRTIO_GPIO_MSG_SET_VALUE;
    static final byte OK = (byte) VirtioGpioStatus.VIRTIO_GPIO_STATUS_OK;
    static final byte ERR = (byte) VirtioGpioStatus.VIRTIO_GPIO_STATUS_ERR;
    public static final int DIRECTION_NONE = VirtioGpioDirection.VIRTIO_GPIO_DIRECTION_NONE;
    public static final int DIRECTION_OUT = VirtioGpioDirection.VIRTIO_GPIO_DIRECTION_OUT;
    public static final int DIRECTION_IN = VirtioGpioDirection.VIRTIO_GPIO_DIRECTION_IN;

    private final int lines;
    private final byte[] names;
    private final int[] direction;
    private final int[] value;
    private final int[] inputLevel;

    /** @param lineNames one name per line, in line order */
    public GpioDevice(String... lineNames) {
        super(0);
        this.lines = lineNames.length;
        StringBuilder b = new StringBuilder();
        for (String n : lineNames) {
            b.append(n).append('\0');
        }
        this.names = b.toString().getBytes(StandardCharsets.US_ASCII);
        this.direction = new int[lines];
        this.value = new int[lines];
        this.inputLevel = new int[lines];
        config().ngpio(lines).gpioNamesSize(names.length);
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

    /**
     * QEMU's vhost-user-gpio front end sets up both queues whatever the features, while the model
     * counts the event queue only with VIRTIO_GPIO_F_IRQ; serve both so its set-up is accepted.
     */
    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    protected synchronized int onGetNames(GetNamesRequest request) {
        DescriptorChain r = request.chain();
        if (r.writableBytes() < 1) {
            return 0; // no room even for a status: nothing to answer
        }
        if (r.writableBytes() < 1 + names.length) {
            r.writeByte(0, ERR);
            return 1;
        }
        r.writeByte(0, OK);
        r.copyToWritable(1, names, 0, names.length);
        return 1 + names.length;
    }

    @Override
    protected synchronized int onLine(LineRequest request) {
        if (!request.wellFormed()) {
            return onMalformed(request.queue(), request.chain());
        }
        VirtioGpioRequest req = request.readable().req();
        VirtioGpioResponse resp = request.writable().resp();
        int gpio = req.gpio();
        long val = req.value();
        if (gpio >= lines) {
            resp.status(ERR).value(0);
            return 2;
        }
        int status = OK;
        int out = 0;
        switch (req.type()) {
            case GET_DIRECTION -> out = direction[gpio];
            case SET_DIRECTION -> {
                if (val < DIRECTION_NONE || val > DIRECTION_IN) {
                    status = ERR;
                } else {
                    direction[gpio] = (int) val;
                }
            }
            case GET_VALUE -> out = direction[gpio] == DIRECTION_IN ? inputLevel[gpio] : value[gpio];
            case SET_VALUE -> {
                // Drivers set the level before switching a line to output, so it is driven from
                // the first instant; the value is kept whatever the direction.
                if (val != 0 && val != 1) {
                    status = ERR;
                } else {
                    value[gpio] = (int) val;
                }
            }
            default -> status = ERR; // IRQ_TYPE: interrupts are not offered
        }
        resp.status(status).value(out);
        return 2;
    }

    /** No interrupts without VIRTIO_GPIO_F_IRQ: keep the buffer and never fill it. */
    @Override
    protected int onIrq(IrqRequest request) {
        return DEFER;
    }

    /** A chain without room for the request or the response: answer ERR when a status fits. */
    @Override
    protected int onMalformed(int queue, DescriptorChain chain) {
        if (chain.writableBytes() >= 1) {
            chain.writeByte(0, ERR);
            return 1;
        }
        return 0;
    }

    /** Message types the spec does not define get ERR. */
    @Override
    protected int onUnknownRequest(int queue, DescriptorChain chain, long selector) {
        return onMalformed(queue, chain);
    }
}
