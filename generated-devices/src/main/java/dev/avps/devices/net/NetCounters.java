package dev.avps.devices.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one net port dropped or refused, and why: each hostile or unusable input is counted under
 * its own reason, so a test (or an operator) can see that it was noticed and not silently lost.
 */
public final class NetCounters {
    /** Frames the driver sent and the switch took. */
    public final LongAdder txFrames = new LongAdder();
    /** Of those, segmentation-offload (TSO) super-frames, passed on unsegmented. */
    public final LongAdder txGso = new LongAdder();
    /** Transmit chains shorter than the virtio-net header, or with less than an Ethernet header after it. */
    public final LongAdder txShort = new LongAdder();
    /** Transmit chains longer than the largest frame the device takes. */
    public final LongAdder txOversize = new LongAdder();
    /** Transmit chains with a device-writable part (a transmit buffer is read-only to the device). */
    public final LongAdder txMalformed = new LongAdder();
    /** Frames written into receive buffers. */
    public final LongAdder rxFrames = new LongAdder();
    /** Of those, frames spread over more than one buffer (MRG_RXBUF). */
    public final LongAdder rxMerged = new LongAdder();
    /** Frames the receive filter (promiscuous, MAC table, VLAN table) turned away. */
    public final LongAdder rxFiltered = new LongAdder();
    /** Frames dropped because no receive queue was running or its backlog was full. */
    public final LongAdder rxNoRoom = new LongAdder();
    /** Frames that did not fit one buffer (no MRG_RXBUF) or whose buffers ran out mid-frame. */
    public final LongAdder rxTruncated = new LongAdder();
    /** Segmentation-offload frames for a driver that did not accept that offload. */
    public final LongAdder rxOffloadRefused = new LongAdder();
    /** Receive buffers too small to hold even the header. */
    public final LongAdder rxBadBuffer = new LongAdder();
    /** Control commands answered VIRTIO_NET_ERR. */
    public final LongAdder ctrlErrors = new LongAdder();
    /** Control chains that could not be answered at all (no room for the ack byte). */
    public final LongAdder ctrlUnanswerable = new LongAdder();

    /** The counters that are not zero, as "name=value" pairs, for a log line. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (java.lang.reflect.Field f : NetCounters.class.getFields()) {
            try {
                long v = ((LongAdder) f.get(this)).sum();
                if (v != 0) {
                    b.append(b.isEmpty() ? "" : " ").append(f.getName()).append('=').append(v);
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return b.isEmpty() ? "all zero" : b.toString();
    }
}
