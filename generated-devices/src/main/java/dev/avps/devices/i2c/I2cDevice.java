package dev.avps.devices.i2c;

import dev.avps.generated.i2c.I2cDeviceBase;
import dev.avps.generated.i2c.I2cFeatures;
import dev.avps.generated.i2c.ReadRequest;
import dev.avps.generated.i2c.VirtioI2cFlags;
import dev.avps.generated.i2c.VirtioI2cMsgStatus;
import dev.avps.generated.i2c.WriteRequest;
import dev.avps.runtime.DescriptorChain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * virtio-i2c (device ID 34) with one simulated 256-byte EEPROM (24C02-like: a write sets the
 * address pointer from its first byte and stores the rest; a read returns bytes from the pointer,
 * wrapping). Transfers to any other address fail with VIRTIO_I2C_MSG_ERR, which the guest sees
 * as EIO. The generated {@link I2cDeviceBase} tells reads from writes by the M_RD bit
 * ({@code where out_hdr.flags & 0x2} in i2c.avps); this class holds the EEPROM.
 */
public final class I2cDevice extends I2cDeviceBase {

    // Wire values come from the catalog through the generated classes, not retyped here.
    static final int FLAG_FAIL_NEXT = (int) VirtioI2cFlags.VIRTIO_I2C_FLAGS_FAIL_NEXT;
    static final int FLAG_M_RD = (int) VirtioI2cFlags.VIRTIO_I2C_FLAGS_M_RD;
    static final byte OK = (byte) VirtioI2cMsgStatus.VIRTIO_I2C_MSG_OK;
    static final byte ERR = (byte) VirtioI2cMsgStatus.VIRTIO_I2C_MSG_ERR;
    /** Segments without a buffer (address probes); Linux refuses a device that lacks it. */
    static final long F_ZERO_LENGTH_REQUEST = I2cFeatures.ZERO_LENGTH_REQUEST;

    private final int eepromAddress;
    private final byte[] eeprom = new byte[256];
    private int pointer;
    private boolean failNext;
    private final byte[] hdr = new byte[8];
    private final ByteBuffer h = ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN);

    /** @param eepromAddress the 7-bit address the EEPROM answers on */
    public I2cDevice(int eepromAddress) {
        super(F_ZERO_LENGTH_REQUEST);
        this.eepromAddress = eepromAddress;
    }

    public synchronized byte[] eeprom() {
        return eeprom.clone();
    }

    public synchronized void load(int offset, byte[] data) {
        System.arraycopy(data, 0, eeprom, offset, data.length);
    }

    /**
     * The chapter makes ZERO_LENGTH_REQUEST mandatory: a driver that declines it gets FEATURES_OK
     * refused (VIRTIO 1.4 5.16.6.4) rather than a device it would misread (M_RD is part of it).
     */
    @Override
    public boolean acceptsFeatures(long features) {
        return (features & F_ZERO_LENGTH_REQUEST) != 0;
    }

    /** A new driver starts outside any group; the EEPROM's bytes and pointer are the target's own. */
    @Override
    public synchronized void reset() {
        super.reset();
        failNext = false;
    }

    @Override
    protected int onWrite(WriteRequest request) {
        return segment(request.chain());
    }

    @Override
    protected int onRead(ReadRequest request) {
        return segment(request.chain());
    }

    /** A chain too short for the header or the status: nothing can be answered. */
    @Override
    protected int onMalformed(int queue, DescriptorChain chain) {
        return 0;
    }

    /** One segment of a transfer; the M_RD bit in the header decides the direction. */
    private synchronized int segment(DescriptorChain r) {
        if (r.readableBytes() < 8 || r.writableBytes() < 1) {
            return 0;
        }
        r.copyFromReadable(0, hdr, 0, 8);
        int addr = h.getShort(0) & 0xffff;
        int flags = h.getInt(4);
        long statusAt = r.writableBytes() - 1;
        // Linux puts the 7-bit address in bits 1..7 (addr << 1); accept it as the spec describes.
        int target = addr >> 1;
        boolean ok = !failNext && target == eepromAddress;
        int written = 1;
        if (ok && (flags & FLAG_M_RD) != 0) {
            int n = (int) statusAt;
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = eeprom[(pointer + i) & 0xff];
            }
            pointer = (pointer + n) & 0xff;
            r.copyToWritable(0, out, 0, n);
            written += n;
        } else if (ok) {
            int n = (int) (r.readableBytes() - 8);
            if (n > 0) {
                byte[] in = new byte[n];
                r.copyFromReadable(8, in, 0, n);
                pointer = in[0] & 0xff;
                for (int i = 1; i < n; i++) {
                    eeprom[pointer] = in[i];
                    pointer = (pointer + 1) & 0xff;
                }
            }
        }
        // Segments of one transfer carry FAIL_NEXT all but the last: once one fails, the rest of
        // the group fails too, and the group ends with the segment that lacks the flag.
        failNext = (flags & FLAG_FAIL_NEXT) != 0 && (failNext || !ok);
        r.writeByte(statusAt, ok ? OK : ERR);
        return written;
    }
}
