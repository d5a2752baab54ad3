package dev.avps.devices.gpio;

import dev.avps.generated.gpio.GetNamesRequest;
import dev.avps.generated.gpio.GpioDeviceBase;
import dev.avps.generated.gpio.GpioFeatures;
import dev.avps.generated.gpio.IrqRequest;
import dev.avps.generated.gpio.LineRequest;
import dev.avps.generated.gpio.VirtioGpioDirection;
import dev.avps.generated.gpio.VirtioGpioIrqStatus;
import dev.avps.generated.gpio.VirtioGpioIrqType;
import dev.avps.generated.gpio.VirtioGpioMsgType;
import dev.avps.generated.gpio.VirtioGpioRequest;
import dev.avps.generated.gpio.VirtioGpioResponse;
import dev.avps.generated.gpio.VirtioGpioStatus;
import dev.avps.runtime.DescriptorChain;
import java.nio.charset.StandardCharsets;

/**
 * virtio-gpio (device ID 41) with simulated lines: outputs keep what the driver writes, inputs
 * read a level the host sets. Dispatch, configuration layout and the request/response views
 * come from {@link GpioDeviceBase}, generated from spec-models' gpio.avps.
 *
 * <p>Interrupts (VIRTIO_GPIO_F_IRQ) are offered only when asked for: input levels the host sets
 * raise them on lines the driver enabled (IRQ_TYPE) and unmasked (an eventq buffer). The runtime
 * keeps a deferred buffer at the head of its queue, so eventq buffers come back in the order they
 * were queued: a line's event waits behind an earlier line's buffer. That is enough for one armed
 * line at a time (the conformance checks), not for a guest arming several.
 */
public final class GpioDevice extends GpioDeviceBase {

    // Wire values come from the catalog through the generated classes, not retyped here.
    static final int GET_NAMES = VirtioGpioMsgType.VIRTIO_GPIO_MSG_GET_NAMES;
    static final int GET_DIRECTION = VirtioGpioMsgType.VIRTIO_GPIO_MSG_GET_DIRECTION;
    static final int SET_DIRECTION = VirtioGpioMsgType.VIRTIO_GPIO_MSG_SET_DIRECTION;
    static final int GET_VALUE = VirtioGpioMsgType.VIRTIO_GPIO_MSG_GET_VALUE;
    static final int SET_VALUE = VirtioGpioMsgType.VIRTIO_GPIO_MSG_SET_VALUE;
    static final int IRQ_TYPE = VirtioGpioMsgType.VIRTIO_GPIO_MSG_IRQ_TYPE;
    static final byte IRQ_VALID = (byte) VirtioGpioIrqStatus.VIRTIO_GPIO_IRQ_STATUS_VALID;
    static final byte IRQ_INVALID = (byte) VirtioGpioIrqStatus.VIRTIO_GPIO_IRQ_STATUS_INVALID;
    static final int TRIGGER_NONE = (int) VirtioGpioIrqType.VIRTIO_GPIO_IRQ_TYPE_NONE;
    static final int RISING = (int) VirtioGpioIrqType.VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING;
    static final int FALLING = (int) VirtioGpioIrqType.VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING;
    static final int BOTH = (int) VirtioGpioIrqType.VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH;
    static final int LEVEL_HIGH = (int) VirtioGpioIrqType.VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH;
    static final int LEVEL_LOW = (int) VirtioGpioIrqType.VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW;
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
    /** Per line: the trigger the driver enabled (NONE: disabled), and an edge seen while masked. */
    private final int[] trigger;
    private final boolean[] latched;
    private volatile Runnable eventWakeup;

    /** Lines without interrupts. @param lineNames one name per line, in line order */
    public GpioDevice(String... lineNames) {
        this(false, lineNames);
    }

    /**
     * @param interrupts whether VIRTIO_GPIO_F_IRQ is offered
     * @param lineNames  one name per line, in line order
     */
    public GpioDevice(boolean interrupts, String... lineNames) {
        super(interrupts ? GpioFeatures.IRQ : 0);
        this.lines = lineNames.length;
        StringBuilder b = new StringBuilder();
        for (String n : lineNames) {
            b.append(n).append('\0');
        }
        this.names = b.toString().getBytes(StandardCharsets.US_ASCII);
        this.direction = new int[lines];
        this.value = new int[lines];
        this.inputLevel = new int[lines];
        this.trigger = new int[lines];
        this.latched = new boolean[lines];
        config().ngpio(lines).gpioNamesSize(names.length);
    }

    /**
     * The level an input line reads (the outside world driving the pin). On a line set to input
     * with its interrupt enabled, a matching edge is latched until the driver unmasks it, and a
     * level trigger is looked at whenever an eventq buffer is offered.
     */
    public synchronized void setInputLevel(int line, int level) {
        int old = inputLevel[line];
        int now = level == 0 ? 0 : 1;
        inputLevel[line] = now;
        if (old != now && direction[line] == DIRECTION_IN) {
            int t = trigger[line];
            if ((now == 1 && (t == RISING || t == BOTH)) || (now == 0 && (t == FALLING || t == BOTH))) {
                latched[line] = true;
            }
            wakeEventq();
        }
    }

    private void wakeEventq() {
        Runnable w = eventWakeup;
        if (w != null) {
            w.run();
        }
    }

    @Override
    public void queueStarted(int queue, Runnable wakeup) {
        if (queue == Q_EVENTQ) {
            eventWakeup = wakeup;
        }
    }

    @Override
    public void queueStopped(int queue) {
        if (queue == Q_EVENTQ) {
            eventWakeup = null;
        }
    }

    /**
     * Interrupts end with the driver that enabled them (its eventq buffers are gone). Directions
     * and levels stay: the pins keep driving what the last driver set, as the host can see after
     * a guest has gone, until a driver changes them.
     */
    @Override
    public synchronized void reset() {
        super.reset();
        for (int i = 0; i < lines; i++) {
            trigger[i] = TRIGGER_NONE;
            latched[i] = false;
        }
    }

    /** Discards what the driver set on a line (direction NONE). */
    private void forget(int line) {
        direction[line] = DIRECTION_NONE;
        value[line] = 0;
        trigger[line] = TRIGGER_NONE;
        latched[line] = false;
    }

    private boolean irqNegotiated() {
        return (negotiated() & GpioFeatures.IRQ) != 0;
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
                } else if (val == DIRECTION_NONE) {
                    // The chapter: NONE discards all of the line's state, its interrupt too.
                    forget(gpio);
                    wakeEventq();
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
            case IRQ_TYPE -> {
                if (!irqNegotiated() || !(val == TRIGGER_NONE || val == RISING || val == FALLING || val == BOTH
                        || val == LEVEL_HIGH || val == LEVEL_LOW)) {
                    status = ERR;
                } else {
                    trigger[gpio] = (int) val;
                    latched[gpio] = false;
                    // A buffer waiting for this line goes back INVALID once its trigger is NONE.
                    wakeEventq();
                }
            }
            default -> status = ERR;
        }
        resp.status(status).value(out);
        return 2;
    }

    /**
     * An unmasked line: VALID once its enabled interrupt fires (a latched edge, or the level
     * present now), INVALID at once when its interrupt is not enabled (or the line does not
     * exist); otherwise the buffer waits.
     */
    @Override
    protected synchronized int onIrq(IrqRequest request) {
        if (!request.wellFormed()) {
            return onMalformed(request.queue(), request.chain());
        }
        int line = request.readable().req().gpio();
        if (!irqNegotiated() || line >= lines || trigger[line] == TRIGGER_NONE) {
            request.writable().resp().status(IRQ_INVALID);
            return 1;
        }
        boolean fire;
        if (trigger[line] == LEVEL_HIGH || trigger[line] == LEVEL_LOW) {
            fire = direction[line] == DIRECTION_IN && inputLevel[line] == (trigger[line] == LEVEL_HIGH ? 1 : 0);
        } else {
            fire = latched[line];
            latched[line] = false;
        }
        if (!fire) {
            return DEFER;
        }
        request.writable().resp().status(IRQ_VALID);
        return 1;
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
