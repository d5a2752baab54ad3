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

    private record Buffer(long gpa, byte[] content, int length, boolean writable, byte fill) {
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
        buffers.add(new Buffer(session.alloc(bytes.length, GUARD), bytes.clone(), bytes.length, false, (byte) 0));
        return this;
    }

    /** A device-writable buffer of {@code length} bytes. */
    public Exchange in(int length) {
        return in(length, FILL);
    }

    /**
     * A device-writable buffer of {@code length} bytes that starts filled with {@code fill}: two
     * runs with different fills tell a byte the device wrote from one it left alone.
     */
    public Exchange in(int length, byte fill) {
        buffers.add(new Buffer(session.alloc(length, GUARD), null, length, true, fill));
        return this;
    }

    public int writableBytes() {
        return buffers.stream().filter(Buffer::writable).mapToInt(Buffer::length).sum();
    }

    /** Submits and waits up to the target's request timeout for the device to use the buffers. */
    public Result run() throws FrontEndException {
        submit(1);
        Completion c = ring.awaitUsed(session.requestMillis());
        return collect(c.length());
    }

    /**
     * Places the buffers and makes the chain available without waiting, tagged {@code cookie};
     * the caller waits on the queue ({@link Session#awaitUsed}) and then calls {@link #collect}.
     */
    public void submit(long cookie) throws FrontEndException {
        for (Buffer b : buffers) {
            session.fill(b.gpa() - GUARD, GUARD, GUARD_BYTE);
            session.fill(b.gpa() + b.length(), GUARD, GUARD_BYTE);
            if (b.writable()) {
                session.fill(b.gpa(), b.length(), b.fill());
                ring.queue().addIn(b.gpa(), b.length());
            } else {
                session.write(b.gpa(), b.content());
                ring.queue().addOut(b.gpa(), b.length());
            }
        }
        ring.submit(cookie);
    }

    /** What came back once the device used this exchange's chain with used length {@code used}. */
    public Result collect(int used) {
        return new Result(used, written(), damage());
    }

    /**
     * What came back from exchanges submitted together on one queue.
     *
     * @param results each exchange's result, in submission order
     * @param order   the submission indexes in the order the device used them
     */
    public record Batch(List<Result> results, List<Integer> order) {
    }

    /**
     * Submits every exchange (all on one queue) before waiting for any, then collects each as the
     * device uses it; every wait is bounded by the request timeout.
     */
    public static Batch together(List<Exchange> exchanges) throws FrontEndException {
        DriverRing ring = exchanges.get(0).ring;
        for (int i = 0; i < exchanges.size(); i++) {
            if (exchanges.get(i).ring != ring) {
                throw new IllegalArgumentException("exchanges submitted together share one queue");
            }
            exchanges.get(i).submit(i);
        }
        Result[] results = new Result[exchanges.size()];
        List<Integer> order = new ArrayList<>();
        for (int n = 0; n < exchanges.size(); n++) {
            Completion c = ring.awaitUsed(exchanges.get(0).session.requestMillis());
            int i = (int) c.cookie();
            results[i] = exchanges.get(i).collect(c.length());
            order.add(i);
        }
        return new Batch(List.of(results), order);
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
