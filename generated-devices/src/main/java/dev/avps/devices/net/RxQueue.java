package dev.avps.devices.net;

import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.device.VirtioDevice;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One receive queue: the backlog of packets switched to it and the writing of each into the
 * driver's receive buffers. Without MRG_RXBUF a packet must fit one buffer. With it, a packet
 * spreads over as many buffers as it needs (VIRTIO 1.4 5.1.6.4): the header goes into the first,
 * and its num_buffers field is rewritten after every further buffer, so it always counts the buffers
 * completed so far. The transport publishes the used entries when the ring runs dry (see
 * {@link VirtioDevice#usedPublishing}), or after a batch while no packet is half written ({@link
 * VirtioDevice#midMessage}); if the ring runs dry mid-packet, the packet ends there,
 * consistently numbered but short, and is counted as truncated.
 *
 * <p>The backlog is filled from other ports' threads; everything else runs on this queue's worker.
 */
final class RxQueue {

    /** Packets waiting for buffers; beyond this the switch's deliveries are dropped and counted. */
    static final int BACKLOG = 512;
    private static final int NUM_BUFFERS_AT = 10;

    private final ArrayBlockingQueue<byte[]> backlog = new ArrayBlockingQueue<>(BACKLOG);
    private final NetCounters counters;
    private volatile Runnable wakeup;
    private volatile boolean running;

    // The packet being written and where: only the worker touches these.
    private byte[] current;
    private int offset;
    private int buffers;
    private final ByteBuffer[] cellBuf = new ByteBuffer[2];
    private final int[] cellPos = new int[2];

    RxQueue(NetCounters counters) {
        this.counters = counters;
    }

    void started(Runnable wakeup) {
        this.wakeup = wakeup;
        running = true;
    }

    void stopped() {
        running = false;
    }

    boolean running() {
        return running;
    }

    /** Queues a packet for the driver; false (nothing kept) when the queue is stopped or full. */
    boolean offer(byte[] packet) {
        Runnable w = wakeup;
        if (!running || w == null || !backlog.offer(packet)) {
            return false;
        }
        w.run();
        return true;
    }

    /**
     * Writes the next part of the pending packet into {@code chain}; returns the used length, or
     * {@link VirtioDevice#DEFER} when nothing is pending (the buffer waits for the next packet).
     */
    int fill(DescriptorChain chain, boolean merge) {
        long room = chain.writableBytes();
        if (current == null) {
            byte[] p;
            while (true) {
                p = backlog.poll();
                if (p == null) {
                    return VirtioDevice.DEFER;
                }
                if (!merge && p.length > room && room >= Packet.HDR) {
                    // Without merged buffers a packet must fit one buffer: this one cannot be delivered.
                    counters.rxTruncated.increment();
                    continue;
                }
                break;
            }
            current = p;
            offset = 0;
            buffers = 0;
        }
        if (offset == 0) {
            if (room < Packet.HDR) {
                // The spec requires room for the header in every buffer; skip this one, keep the packet.
                counters.rxBadBuffer.increment();
                return 0;
            }
            current[NUM_BUFFERS_AT] = 1;
            current[NUM_BUFFERS_AT + 1] = 0;
            if (merge) {
                locate(chain, 0, NUM_BUFFERS_AT);
                locate(chain, 1, NUM_BUFFERS_AT + 1);
            }
        }
        int n = (int) Math.min(room, current.length - offset);
        chain.copyToWritable(0, current, offset, n);
        offset += n;
        buffers++;
        if (merge && buffers > 1) {
            cellBuf[0].put(cellPos[0], (byte) buffers);
            cellBuf[1].put(cellPos[1], (byte) (buffers >>> 8));
        }
        if (offset == current.length) {
            counters.rxFrames.increment();
            if (buffers > 1) {
                counters.rxMerged.increment();
            }
            current = null;
        }
        return n;
    }

    /** Remembers where byte {@code at} of the chain's writable part lies in guest memory. */
    private void locate(DescriptorChain chain, int cell, int at) {
        int skip = at;
        for (int i = 0; i < chain.writableCount(); i++) {
            int len = chain.writableLength(i);
            if (skip < len) {
                cellBuf[cell] = chain.writableView(i);
                cellPos[cell] = skip;
                return;
            }
            skip -= len;
        }
        throw new IllegalStateException("byte " + at + " lies past a buffer checked to hold the header");
    }

    /** Whether a packet is partly written: its first buffer's num_buffers may still change. */
    boolean midPacket() {
        return current != null && offset > 0;
    }

    /** The completed buffers are about to reach the driver: a packet cut short here ends here. */
    void published() {
        if (current != null && offset > 0) {
            counters.rxTruncated.increment();
            current = null;
        }
    }

    void clear() {
        backlog.clear();
        current = null;
    }
}
