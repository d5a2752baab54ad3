package dev.avps.devices.net;

import dev.avps.generated.net.VirtioNetCtrlAck;
import dev.avps.runtime.DescriptorChain;
import java.lang.System.Logger.Level;

/**
 * Answers one control-queue command (VIRTIO 1.4 5.1.6.5): the device writes VIRTIO_NET_OK or
 * VIRTIO_NET_ERR into the ack byte that follows the command. A chain with no writable byte cannot
 * be answered; it is completed with nothing written and counted, with the reason logged.
 */
final class ControlReply {

    private static final System.Logger LOG = System.getLogger(ControlReply.class.getName());
    /** The largest command body read; MAC tables of this size hold over 10,000 addresses. */
    static final int MAX_BODY = 65_536;

    private final NetCounters counters;
    private final String port;

    ControlReply(NetCounters counters, String port) {
        this.counters = counters;
        this.port = port;
    }

    /**
     * Whether the chain has room for the ack. A command that cannot be answered is not applied
     * either: the driver could not tell whether it took effect.
     */
    static boolean answerable(DescriptorChain chain) {
        return chain.writableBytes() >= 1;
    }

    /** Completes a command that has no ack byte with nothing written, counted and logged. */
    int unanswerable(DescriptorChain chain) {
        counters.ctrlUnanswerable.increment();
        LOG.log(Level.INFO, "net {0}: control command without room for its ack byte ({1} readable bytes); not applied",
                port, chain.readableBytes());
        return 0;
    }

    int ok(DescriptorChain chain) {
        return ack(chain, VirtioNetCtrlAck.VIRTIO_NET_OK, null);
    }

    /** Refuses a command, logging why at debug level (a driver probing commands is not an error). */
    int err(DescriptorChain chain, String reason) {
        if (!answerable(chain)) {
            return unanswerable(chain);
        }
        counters.ctrlErrors.increment();
        return ack(chain, VirtioNetCtrlAck.VIRTIO_NET_ERR, reason);
    }

    private int ack(DescriptorChain chain, int value, String reason) {
        if (!answerable(chain)) {
            return unanswerable(chain);
        }
        if (reason != null) {
            LOG.log(Level.DEBUG, "net {0}: control command refused: {1}", port, reason);
        }
        chain.writeByte(0, (byte) value);
        return 1;
    }

    /** The command's data after the 2-byte class/command header, or null when it is over {@link #MAX_BODY}. */
    static byte[] body(DescriptorChain chain) {
        long n = chain.readableBytes() - 2;
        if (n < 0 || n > MAX_BODY) {
            return null;
        }
        byte[] b = new byte[(int) n];
        chain.copyFromReadable(2, b, 0, b.length);
        return b;
    }
}
