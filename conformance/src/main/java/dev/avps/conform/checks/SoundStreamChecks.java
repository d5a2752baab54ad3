package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.model.DeviceModel;
import dev.avps.runtime.Completion;
import dev.avps.vhostuser.driver.FrontEndException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * virtio-snd PCM I/O (VIRTIO 1.4 5.14.6.6.5, 5.14.6.8): what RELEASE does to pending buffers,
 * and when tx and rx buffers may come back. Each check takes the first stream of the direction it
 * needs, at the lowest rate and fewest channels the stream offers and the first format whose
 * sample size the front end knows; a device without such a stream is skipped.
 *
 * <p>Timing is judged one way only: a buffer that comes back before its frames could have played
 * (measured from just before START, so the device's own start can only be later) is early. Late
 * is never judged: a loaded machine is slow, never fast.
 */
public final class SoundStreamChecks implements CheckFamily {
    /** Output pacing: periods of this length, this many of them queued at once. */
    static final int PACE_PERIOD_MILLIS = 40;
    static final int PACE_PERIODS = 6;
    /** How much earlier than its frames' play time a buffer may come back (scheduling, a device's clock). */
    static final long PACE_TOLERANCE_MILLIS = 50;
    /** How long buffers queued before START are watched to see that the device keeps them. */
    static final long HOLD_MILLIS = 200;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("sound");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("snd_release_returns_io", "Four tx buffers queued on a prepared stream (not started), then"
                        + " RELEASE: every buffer still pending is back in the used ring by the time RELEASE is answered.",
                        SoundStreamChecks::releaseReturnsIo),
                new Check("snd_output_paced", PACE_PERIODS + " periods of " + PACE_PERIOD_MILLIS + " ms queued, then START:"
                        + " period n does not come back before n periods of play time less " + PACE_TOLERANCE_MILLIS
                        + " ms (measured from before START; lateness is not judged).", SoundStreamChecks::outputPaced),
                new Check("snd_input_full_buffers", "Four rx buffers of one period on a started input stream: each that"
                        + " comes back before STOP is full (used length = period + status) with status OK.",
                        SoundStreamChecks::inputFull));
    }

    private static Completion poll(SoundCard c, int queue, long millis) throws FrontEndException {
        try {
            return c.s.awaitUsed(queue, millis);
        } catch (FrontEndException e) {
            if (e.reason() == FrontEndException.Reason.NO_COMPLETION) {
                return null;
            }
            throw e;
        }
    }

    private static void releaseReturnsIo(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        SoundCard.Pcm p = c.stream("OUTPUT", 10, 4);
        c.prepare(p);
        for (int i = 0; i < p.periods(); i++) {
            c.tx(p).submit(i);
        }
        // A device may hand buffers of a stream not started back at once; only those it keeps are pending.
        int back = 0;
        long until = System.nanoTime() + HOLD_MILLIS * 1_000_000L;
        while (back < p.periods()) {
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || poll(c, SoundCard.TXQ, left) == null) {
                break;
            }
            back++;
        }
        int pending = p.periods() - back;
        if (pending == 0) {
            c.pcm("RELEASE", p.stream());
            throw Inapplicable.notCheckable("the device handed back all " + p.periods() + " buffers of the prepared stream"
                    + " within " + HOLD_MILLIS + " ms, so none was pending when RELEASE came");
        }
        long release = c.pcm("RELEASE", p.stream());
        c.ok(release, "RELEASE of a prepared stream");
        List<Integer> missing = new ArrayList<>();
        int now = 0;
        for (int i = 0; i < pending; i++) {
            if (poll(c, SoundCard.TXQ, 0) == null) {
                missing.add(i);
            } else {
                now++;
            }
        }
        if (!missing.isEmpty()) {
            int later = 0;
            while (later < missing.size() && poll(c, SoundCard.TXQ, c.s.requestMillis()) != null) {
                later++;
            }
            throw new CheckFailure("RELEASE was answered with " + missing.size() + " of " + pending + " pending buffers"
                    + " still out; " + (later == missing.size() ? "they came back after the answer"
                    : (missing.size() - later) + " never came back within " + c.s.requestMillis() + " ms"));
        }
        ctx.note(pending + " buffer(s) pending at RELEASE, all back before its answer" + (back > 0 ? " (" + back
                + " handed back before)" : ""));
    }

    private static void outputPaced(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        SoundCard.Pcm p = c.stream("OUTPUT", PACE_PERIOD_MILLIS, PACE_PERIODS);
        c.prepare(p);
        for (int i = 0; i < p.periods(); i++) {
            c.tx(p).submit(i);
        }
        long t0 = System.nanoTime();
        c.ok(c.pcm("START", p.stream()), "START");
        long period = p.nanosFor(p.periodBytes());
        long tolerance = PACE_TOLERANCE_MILLIS * 1_000_000L;
        List<String> early = new ArrayList<>();
        long[] at = new long[p.periods()];
        try {
            for (int n = 1; n <= p.periods(); n++) {
                Completion done = poll(c, SoundCard.TXQ, c.s.requestMillis() + PACE_PERIOD_MILLIS * (long) p.periods());
                CheckFailure.require(done != null, "period " + n + " of " + p.periods() + " never came back");
                long elapsed = System.nanoTime() - t0;
                at[n - 1] = elapsed / 1_000_000L;
                if (elapsed < n * period - tolerance) {
                    early.add("period " + n + " back after " + elapsed / 1_000_000L + " ms, its frames end at "
                            + n * period / 1_000_000L + " ms");
                }
            }
        } finally {
            c.pcm("STOP", p.stream());
            c.pcm("RELEASE", p.stream());
        }
        CheckFailure.require(early.isEmpty(), "output buffers came back before they could have played (" + p.hz() + " Hz, "
                + p.periodBytes() + "-byte periods, " + PACE_TOLERANCE_MILLIS + " ms allowed): " + String.join("; ", early));
        ctx.note(p.periods() + " periods of " + period / 1_000_000L + " ms came back at " + java.util.Arrays.toString(at)
                + " ms after START");
    }

    private static void inputFull(CheckContext ctx) throws Exception {
        SoundCard c = new SoundCard(ctx);
        SoundCard.Pcm p = c.stream("INPUT", 20, 4);
        c.prepare(p);
        List<Exchange> rx = new ArrayList<>();
        for (int i = 0; i < p.periods(); i++) {
            Exchange e = c.rx(p);
            e.submit(i);
            rx.add(e);
        }
        c.ok(c.pcm("START", p.stream()), "START of an input stream");
        int status = c.struct("virtio_snd_pcm_status").size();
        List<String> bad = new ArrayList<>();
        int judged = 0;
        try {
            for (int i = 0; i < p.periods(); i++) {
                Completion done = poll(c, SoundCard.RXQ, c.s.requestMillis() + 20L * p.periods());
                if (done == null) {
                    break; // a capture that stalls is not this rule's concern
                }
                int idx = (int) done.cookie();
                Exchange.Result r = rx.get(idx).collect(done.length());
                judged++;
                long code = ByteBuffer.wrap(r.written(), p.periodBytes(), 4).order(ByteOrder.LITTLE_ENDIAN).getInt()
                        & 0xffffffffL;
                if (done.length() != p.periodBytes() + status) {
                    bad.add("buffer " + idx + ": used length " + done.length() + " of " + (p.periodBytes() + status));
                } else if (code != c.code("S_OK")) {
                    bad.add("buffer " + idx + ": status " + c.codeName(code));
                }
            }
        } finally {
            c.pcm("STOP", p.stream());
            c.pcm("RELEASE", p.stream());
        }
        if (judged == 0) {
            throw Inapplicable.notCheckable("no rx buffer came back while the input stream ran");
        }
        CheckFailure.require(bad.isEmpty(), "input buffers came back before they were full while the stream ran: "
                + String.join("; ", bad));
        ctx.note(judged + " rx buffer(s) of " + p.periodBytes() + " bytes came back full");
    }
}
