package dev.avps.conform;

import dev.avps.runtime.Completion;
import dev.avps.vhostuser.driver.DriverRing;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request: device-readable buffers, then device-writable ones, each in its own descriptor and
 * surrounded by {@link #GUARD} bytes of a known pattern. {@link #run} submits it, waits for the
 * used entry, and reports what the device wrote into the writable buffers and whatever it changed
 * that it must not have: guard bytes, readable buffers. Writable buffers start filled with
 * {@link #FILL}, so a status the device did not write still reads as FILL.
 */
public final class Exchange {
    public static final int GUARD = 64;
    public static final byte GUARD_BYTE = (byte) 0xC3;
    public static final byte FILL = (byte) 0xEE;

    private record Buffer(long gpa, byte[] content, int length, boolean writable) {
    }

    /**
     * What came back.
     *
     * @param used    the used length the device reported
     * @param written the writable buffers' bytes afterwards, concatenated
     * @param damage  bytes the device changed outside the writable buffers, described; empty when none
     */
    public record Result(int used, byte[] written, List<String> damage) {
        /** The last writable byte (where a trailing status sits). */
        public byte last() {
            return written[written.length - 1];
        }
    }

    private final Session session;
    private final DriverRing ring;
    private final List<Buffer> buffers = new ArrayList<>();

    Exchange(Session session, DriverRing ring) {
        this.session = session;
        this.ring = ring;
    }

    /** A device-readable buffer holding {@code bytes}. */
    public Exchange out(byte[] bytes) {
        buffers.add(new Buffer(session.alloc(bytes.length, GUARD), bytes.clone(), bytes.length, false));
        return this;
    }

    /** A device-writable buffer of {@code length} bytes. */
    public Exchange in(int length) {
        buffers.add(new Buffer(session.alloc(length, GUARD), null, length, true));
        return this;
    }

    public int writableBytes() {
        return buffers.stream().filter(Buffer::writable).mapToInt(Buffer::length).sum();
    }

    /** Submits and waits up to the target's request timeout for the device to use the buffers. */
    public Result run() throws FrontEndException {
        for (Buffer b : buffers) {
            session.fill(b.gpa() - GUARD, GUARD, GUARD_BYTE);
            session.fill(b.gpa() + b.length(), GUARD, GUARD_BYTE);
            if (b.writable()) {
                session.fill(b.gpa(), b.length(), FILL);
                ring.queue().addIn(b.gpa(), b.length());
            } else {
                session.write(b.gpa(), b.content());
                ring.queue().addOut(b.gpa(), b.length());
            }
        }
        ring.submit(1);
        Completion c = ring.awaitUsed(session.requestMillis());
        return new Result(c.length(), written(), damage());
    }

    private byte[] written() {
        byte[] out = new byte[writableBytes()];
        int at = 0;
        for (Buffer b : buffers) {
            if (b.writable()) {
                System.arraycopy(session.read(b.gpa(), b.length()), 0, out, at, b.length());
                at += b.length();
            }
        }
        return out;
    }

    private List<String> damage() {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Buffer b : buffers) {
            String what = (b.writable() ? "writable" : "readable") + " buffer " + i + " (" + b.length() + " bytes)";
            int before = changedGuard(session.read(b.gpa() - GUARD, GUARD));
            int after = changedGuard(session.read(b.gpa() + b.length(), GUARD));
            if (before > 0) {
                out.add(before + " byte(s) just before " + what + " changed");
            }
            if (after > 0) {
                out.add(after + " byte(s) just after " + what + " changed");
            }
            if (!b.writable() && !Arrays.equals(b.content(), session.read(b.gpa(), b.length()))) {
                out.add("the device wrote into " + what);
            }
            i++;
        }
        return out;
    }

    private static int changedGuard(byte[] guard) {
        int n = 0;
        for (byte x : guard) {
            if (x != GUARD_BYTE) {
                n++;
            }
        }
        return n;
    }
}
