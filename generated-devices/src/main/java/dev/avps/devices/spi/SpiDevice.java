package dev.avps.devices.spi;

import dev.avps.generated.spi.SpiDeviceBase;
import dev.avps.generated.spi.TransferRequest;
import dev.avps.generated.spi.VirtioSpiResult;
import dev.avps.generated.spi.VirtioSpiTransferHead;
import dev.avps.runtime.DescriptorChain;
import java.util.concurrent.atomic.AtomicLong;

/**
 * virtio-spi (device ID 45): a controller with {@link #CHIP_SELECTS} chip selects, a simulated
 * {@link SpiNorFlash} behind chip select 0 and nothing behind chip select 1 (reads return 0xFF).
 * Each chain is one transfer: the head, the bytes to send, room for the bytes received and the
 * result; tx and rx are both optional (half duplex) but must be equally long when both are there.
 *
 * <p>What the configuration offers, and so what a transfer may ask for: 8-bit words, single-wire
 * transfers, SPI modes 0 to 3, loopback (rx is the tx bytes), clocks up to {@link #MAX_FREQ_HZ}
 * (0 lets the controller choose, as Linux sends when nobody set a speed), chip-select setup, hold
 * and inactive delays up to {@link #MAX_DELAY_NS} and no word delay. Anything else is answered
 * with VIRTIO_SPI_PARAM_ERR before a byte moves; a transfer longer than {@link #MAX_TRANSFER}
 * fails with VIRTIO_SPI_TRANS_ERR. A chain with no room for the result cannot be answered and
 * is completed with nothing written.
 *
 * <p>Chip select follows the spec's {@code cs_change}: after a transfer with {@code cs_change} 1
 * the device is deselected, and the flash's command ends; with 0 it stays selected and the next
 * transfer on the same chip select continues the command (an opcode and address in one transfer,
 * the data in the next). Linux 7.3's driver passes {@code xfer->cs_change} through unchanged, so
 * a message's last transfer arrives with 0 unless its sender set it: a guest program that wants
 * each message to be its own flash command sets {@code cs_change} on the last transfer.
 */
public final class SpiDevice extends SpiDeviceBase {

    static final int CHIP_SELECTS = 2;
    /** Only 8-bit words: bit n of the mask stands for n + 1 bits. */
    static final long BITS_PER_WORD_MASK = 1L << 7;
    /** CPHA 0 and 1 (bits 0-1), CPOL 0 and 1 (bits 2-3), loopback (bit 6); no CS_HIGH, no LSB first. */
    static final long MODE_FUNC_SUPPORTED = 0b11 | 0b11 << 2 | 1 << 6;
    static final long MAX_FREQ_HZ = 50_000_000;
    static final long MAX_DELAY_NS = 1_000;
    /** Bytes one transfer may move; more is a failed transfer rather than a huge allocation. */
    static final int MAX_TRANSFER = 1 << 20;

    /** The head's mode bits (VIRTIO 1.4, "Device Operation: Request Queue"). */
    static final int MODE_CPHA = 1;
    static final int MODE_CPOL = 1 << 1;
    static final int MODE_CS_HIGH = 1 << 2;
    static final int MODE_LSB_FIRST = 1 << 3;
    static final int MODE_LOOP = 1 << 4;

    static final byte OK = (byte) VirtioSpiResult.VIRTIO_SPI_TRANS_OK;
    static final byte PARAM_ERR = (byte) VirtioSpiResult.VIRTIO_SPI_PARAM_ERR;
    static final byte TRANS_ERR = (byte) VirtioSpiResult.VIRTIO_SPI_TRANS_ERR;

    private final SpiNorFlash flash;
    /** The chip select left active by the last transfer (cs_change 0), or -1. */
    private int selected = -1;
    private final AtomicLong transfers = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong paramErrors = new AtomicLong();
    private final AtomicLong transferErrors = new AtomicLong();
    private final AtomicLong unanswerable = new AtomicLong();
    private volatile String lastError = "";

    private final int maxTransfer;

    public SpiDevice(SpiNorFlash flash) {
        this(flash, MAX_TRANSFER);
    }

    /** With a smaller transfer limit, so tests can reach it inside a small guest memory. */
    SpiDevice(SpiNorFlash flash, int maxTransfer) {
        super(0);
        this.flash = flash;
        this.maxTransfer = maxTransfer;
        config().csMaxNumber(CHIP_SELECTS).csChangeSupported(1).txNbitsSupported(0).rxNbitsSupported(0)
                .bitsPerWordMask(BITS_PER_WORD_MASK).modeFuncSupported(MODE_FUNC_SUPPORTED).maxFreqHz(MAX_FREQ_HZ)
                .maxWordDelayNs(0).maxCsSetupNs(MAX_DELAY_NS).maxCsHoldNs(MAX_DELAY_NS)
                .maxCsInactiveNs(MAX_DELAY_NS);
    }

    /** The flash behind chip select 0. */
    public SpiNorFlash flash() {
        return flash;
    }

    /** Transfers completed with VIRTIO_SPI_TRANS_OK. */
    public long transfers() {
        return transfers.get();
    }

    /** Bytes clocked by successful transfers. */
    public long bytes() {
        return bytes.get();
    }

    /** Transfers answered VIRTIO_SPI_PARAM_ERR. */
    public long paramErrors() {
        return paramErrors.get();
    }

    /** Transfers answered VIRTIO_SPI_TRANS_ERR. */
    public long transferErrors() {
        return transferErrors.get();
    }

    /** Chains without room for a result, completed with nothing written. */
    public long unanswerable() {
        return unanswerable.get();
    }

    /** Why the last refused transfer was refused ("" when none was). */
    public String lastError() {
        return lastError;
    }

    /** A new driver finds every chip select inactive. */
    @Override
    public synchronized void reset() {
        super.reset();
        deselect();
    }

    @Override
    protected synchronized int onTransfer(TransferRequest request) {
        DescriptorChain chain = request.chain();
        if (chain.writableBytes() < 1) {
            unanswerable.incrementAndGet();
            lastError = "no device-writable byte for the result";
            return 0;
        }
        long resultAt = chain.writableBytes() - 1;
        if (chain.readableBytes() < VirtioSpiTransferHead.SIZE) {
            return refuse(chain, resultAt, PARAM_ERR, "a head of " + chain.readableBytes() + " bytes, not "
                    + VirtioSpiTransferHead.SIZE);
        }
        VirtioSpiTransferHead head = request.readable().head();
        long txLen = request.readable().txBufBytes();
        long rxLen = request.writable().rxBufBytes();
        String problem = check(head, txLen, rxLen);
        if (problem != null) {
            return refuse(chain, resultAt, PARAM_ERR, problem);
        }
        long len = Math.max(txLen, rxLen);
        if (len > maxTransfer) {
            return refuse(chain, resultAt, TRANS_ERR, len + " bytes in one transfer (at most " + maxTransfer + ")");
        }
        int n = (int) len;
        byte[] tx = new byte[n];
        if (txLen > 0) {
            chain.copyFromReadable(request.readable().txBufOffset(), tx, 0, n);
        }
        byte[] rx = clock(head.chipSelectId(), (head.mode_() & MODE_LOOP) != 0, tx);
        if (rxLen > 0) {
            chain.copyToWritable(request.writable().rxBufOffset(), rx, 0, n);
        }
        if (head.csChange() != 0) {
            deselect();
        }
        chain.writeByte(resultAt, OK);
        transfers.incrementAndGet();
        bytes.addAndGet(n);
        return (int) chain.writableBytes();
    }

    /** The bytes the controller reads while it sends {@code tx} on chip select {@code cs}. */
    private byte[] clock(int cs, boolean loop, byte[] tx) {
        if (selected != cs) {
            deselect();
            selected = cs;
        }
        byte[] rx = new byte[tx.length];
        for (int i = 0; i < tx.length; i++) {
            // Loopback wires MOSI to MISO inside the controller; the device still sees the bytes.
            int in = cs == 0 ? flash.exchange(tx[i]) : SpiNorFlash.IDLE;
            rx[i] = (byte) (loop ? tx[i] : in);
        }
        return rx;
    }

    private void deselect() {
        selected = -1;
        flash.deselect();
    }

    /** Why the head or the buffer lengths cannot be served, or null when they can. */
    static String check(VirtioSpiTransferHead head, long txLen, long rxLen) {
        int cs = head.chipSelectId();
        if (cs >= CHIP_SELECTS) {
            return "chip select " + cs + " (the controller has " + CHIP_SELECTS + ")";
        }
        int bits = head.bitsPerWord();
        if (bits < 1 || bits > 32 || (BITS_PER_WORD_MASK & (1L << (bits - 1))) == 0) {
            return bits + " bits per word";
        }
        if (head.csChange() > 1) {
            return "cs_change " + head.csChange();
        }
        if (!single(head.txNbits()) || !single(head.rxNbits())) {
            return "tx_nbits " + head.txNbits() + ", rx_nbits " + head.rxNbits() + " (single wire only)";
        }
        long mode = head.mode_();
        long unsupported = MODE_CS_HIGH | MODE_LSB_FIRST | ~0x1fL;
        if ((mode & unsupported) != 0) {
            return "mode 0x" + Long.toHexString(mode);
        }
        if (head.freq() > MAX_FREQ_HZ) {
            return head.freq() + " Hz (at most " + MAX_FREQ_HZ + ")";
        }
        if (head.wordDelayNs() != 0) {
            return "a word delay of " + head.wordDelayNs() + " ns (not supported)";
        }
        if (head.csSetupNs() > MAX_DELAY_NS || head.csDelayHoldNs() > MAX_DELAY_NS
                || head.csChangeDelayInactiveNs() > MAX_DELAY_NS) {
            return "a chip select delay over " + MAX_DELAY_NS + " ns";
        }
        if (txLen > 0 && rxLen > 0 && txLen != rxLen) {
            return "tx_buf of " + txLen + " bytes and rx_buf of " + rxLen;
        }
        return null;
    }

    /** 0 and 1 both mean a single wire; dual, quad and octal are not offered. */
    private static boolean single(int nbits) {
        return nbits == 0 || nbits == 1;
    }

    private int refuse(DescriptorChain chain, long resultAt, byte result, String why) {
        (result == PARAM_ERR ? paramErrors : transferErrors).incrementAndGet();
        lastError = why;
        // A refused transfer moves no bytes, so chip select and the flash's command stay as they were.
        chain.writeByte(resultAt, result);
        return (int) chain.writableBytes();
    }
}
