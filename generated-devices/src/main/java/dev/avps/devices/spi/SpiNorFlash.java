package dev.avps.devices.spi;

/**
 * A small read-only SPI NOR flash as seen on the wire, one byte exchanged per clocked byte: the
 * first byte after chip select goes active is the opcode. It answers JEDEC ID (0x9F) with a
 * fixed three-byte ID, READ (0x03) with the contents from a 24-bit address (wrapping at the end),
 * and READ STATUS (0x05) with 0 (never busy, not write-enabled). Any other opcode leaves the data
 * line idle: the controller reads 0xFF, as it would from an undriven line with a pull-up.
 *
 * <p>Not thread-safe: the owning device serialises access.
 */
public final class SpiNorFlash {

    /** Opcodes this flash knows. */
    static final int OP_READ = 0x03;
    static final int OP_READ_STATUS = 0x05;
    static final int OP_JEDEC_ID = 0x9f;
    /** What the controller reads while the flash does not drive the line. */
    static final int IDLE = 0xff;

    private enum State { OPCODE, JEDEC, ADDRESS, DATA, STATUS, IGNORE }

    private final byte[] contents;
    private final byte[] jedecId;
    private State state = State.OPCODE;
    private int step;
    private int address;

    /**
     * @param contents the flash's bytes; its length must be a power of two (addresses wrap)
     * @param jedecId  manufacturer ID then the two device ID bytes
     */
    public SpiNorFlash(byte[] contents, byte[] jedecId) {
        if (contents.length == 0 || Integer.bitCount(contents.length) != 1 || contents.length > 1 << 24) {
            throw new IllegalArgumentException("the flash size must be a power of two up to 16 MiB, not "
                    + contents.length);
        }
        if (jedecId.length != 3) {
            throw new IllegalArgumentException("a JEDEC ID is three bytes");
        }
        this.contents = contents.clone();
        this.jedecId = jedecId.clone();
    }

    /** Manufacturer and memory type of {@link #madeUp}: no real vendor's. */
    static final int MADE_UP_MANUFACTURER = 0xaa;
    static final int MADE_UP_TYPE = 0x50;

    /**
     * A flash with a made-up JEDEC ID: manufacturer 0xAA, type 0x50, and the capacity byte as
     * flashes usually encode it, log2 of the size (0x10 for 64 KiB).
     */
    public static SpiNorFlash madeUp(byte[] contents) {
        return new SpiNorFlash(contents, new byte[] {(byte) MADE_UP_MANUFACTURER, (byte) MADE_UP_TYPE,
                (byte) Integer.numberOfTrailingZeros(contents.length)});
    }

    /**
     * A deterministic, non-repeating-looking pattern: byte i is the low byte of i * 7 + i / 256 +
     * 0x5a, so neighbouring bytes, pages and the two halves of the flash all differ.
     */
    public static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + (i >>> 8) + 0x5a);
        }
        return b;
    }

    public int size() {
        return contents.length;
    }

    public byte[] contents() {
        return contents.clone();
    }

    public byte[] jedecId() {
        return jedecId.clone();
    }

    /** Chip select went inactive: the command in progress ends. */
    public void deselect() {
        state = State.OPCODE;
        step = 0;
        address = 0;
    }

    /** One byte clocked in from the controller; returns the byte clocked out to it. */
    public int exchange(int in) {
        in &= 0xff;
        switch (state) {
            case OPCODE -> {
                state = switch (in) {
                    case OP_JEDEC_ID -> State.JEDEC;
                    case OP_READ -> State.ADDRESS;
                    case OP_READ_STATUS -> State.STATUS;
                    default -> State.IGNORE;
                };
                step = 0;
                address = 0;
                return IDLE;
            }
            case JEDEC -> {
                return step < 3 ? jedecId[step++] & 0xff : IDLE;
            }
            case ADDRESS -> {
                address = (address << 8) | in;
                if (++step == 3) {
                    state = State.DATA;
                }
                return IDLE;
            }
            case DATA -> {
                int out = contents[address & (contents.length - 1)] & 0xff;
                address = (address + 1) & (contents.length - 1);
                return out;
            }
            case STATUS -> {
                return 0;
            }
            default -> {
                return IDLE;
            }
        }
    }
}
