package dev.avps.devices.vsock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One guest stream bridged to a host unix socket. A reader thread moves host bytes to the guest,
 * within the guest's credit; guest bytes are written to the host socket as they arrive.
 */
final class Connection {

    private static final int CHUNK = 4096;

    final int hostPort;
    final int guestPort;
    private final VsockDevice device;
    private final SocketChannel channel;
    private final Thread reader;
    private final Object creditLock = new Object();
    /** Guest's receive buffer, bytes the guest has consumed, and bytes we have sent it. */
    private long peerBufAlloc;
    private long peerFwdCnt;
    private long txCnt;
    /** Bytes of guest data we have written to the host program (our fwd_cnt). */
    private volatile int forwarded;
    private volatile boolean open = true;

    Connection(VsockDevice device, int hostPort, int guestPort, SocketChannel channel) {
        this.device = device;
        this.hostPort = hostPort;
        this.guestPort = guestPort;
        this.channel = channel;
        this.reader = new Thread(this::pump, "vsock-" + guestPort + "-" + hostPort);
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    int forwarded() {
        return forwarded;
    }

    void credit(int bufAlloc, int fwdCnt) {
        synchronized (creditLock) {
            peerBufAlloc = Integer.toUnsignedLong(bufAlloc);
            peerFwdCnt = Integer.toUnsignedLong(fwdCnt);
            creditLock.notifyAll();
        }
    }

    void toHost(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            forwarded += data.length;
        } catch (IOException e) {
            close();
            device.closed(this);
        }
    }

    /** Host to guest: read what the host program sends, within the guest's credit. */
    private void pump() {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try {
            while (open) {
                int allowed = awaitCredit();
                buf.clear().limit(Math.min(CHUNK, allowed));
                int n = channel.read(buf);
                if (n < 0) {
                    break;
                }
                byte[] data = new byte[n];
                buf.flip().get(data);
                synchronized (creditLock) {
                    txCnt += n;
                }
                device.send(new VsockDevice.Packet(hostPort, guestPort, VsockDevice.OP_RW, 0, data, this));
            }
        } catch (IOException | InterruptedException e) {
            // closed under us, or the host program went away
        }
        if (open) {
            close();
            device.closed(this);
        }
    }

    private int awaitCredit() throws InterruptedException {
        synchronized (creditLock) {
            while (open) {
                long free = peerBufAlloc - (txCnt - peerFwdCnt);
                if (free > 0) {
                    return (int) Math.min(free, CHUNK);
                }
                creditLock.wait(100);
            }
            return 0;
        }
    }

    void close() {
        open = false;
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        synchronized (creditLock) {
            creditLock.notifyAll();
        }
    }
}
