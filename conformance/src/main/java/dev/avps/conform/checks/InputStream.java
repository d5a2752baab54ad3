package dev.avps.conform.checks;

import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Inbox;
import dev.avps.conform.Session;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * 5.8.6.2: a device may drop events while eventq has no buffers, but only whole updates (the
 * events up to and including EV_SYN/SYN_REPORT). A front end cannot make input happen, so the
 * check waits for what the device's side sends: it starves the queue, posts buffers again and
 * reads the stream. Which events were dropped is invisible; what is visible is a stream that no
 * whole-update device sends: an update with no event before its SYN_REPORT (its events dropped,
 * the report kept), a key reported in the same state twice within one update (two updates glued
 * together by a dropped report), or an update left open. A cut that leaves none of these marks
 * goes unseen; a mark seen is always a cut.
 */
final class InputStream {
    /** How long the eventq is left without buffers. */
    static final long STARVE_MILLIS = 1_000;
    /** Enough updates to judge; reading stops at the first report after this many. */
    static final int UPDATES = 64;
    /** Reading never goes on longer than this, however chatty the device. */
    static final long READ_MILLIS = 5_000;
    /** Buffers posted after the starvation: the front end's whole queue. */
    static final int BUFFERS = 64;

    private InputStream() {
    }

    /** One event as it came, for messages. */
    private record Event(int type, int code, long value) {
        boolean report() {
            return type == InputChecks.EV_SYN && code == InputChecks.SYN_REPORT;
        }

        boolean dropped() {
            return type == InputChecks.EV_SYN && code == InputChecks.SYN_DROPPED;
        }

        @Override
        public String toString() {
            return "(" + type + "," + code + "," + value + ")";
        }
    }

    static void starvedDropsWhole(CheckContext ctx) throws Exception {
        try (Session s = ctx.open()) {
            Inbox in = s.inbox(InputChecks.EVENTQ, InputChecks.EVENT_SIZE);
            Thread.sleep(STARVE_MILLIS); // the queue runs with no buffer at all
            in.post(BUFFERS);
            List<Event> events = new ArrayList<>();
            byte[] first = in.next(s.requestMillis());
            if (first == null) {
                throw Inapplicable.notCheckable("no event came within " + s.requestMillis() + " ms of posting buffers after a "
                        + STARVE_MILLIS + " ms starvation: the device's side sent no input, so there is nothing to judge");
            }
            events.add(event(first));
            int reports = events.get(0).report() ? 1 : 0;
            long until = System.nanoTime() + READ_MILLIS * 1_000_000L;
            // Open: the device went quiet in the middle of an update (running out of reading time is no verdict).
            boolean open = false;
            while (System.nanoTime() - until < 0) {
                Event last = events.get(events.size() - 1);
                if (last.report() && reports >= UPDATES) {
                    break;
                }
                byte[] b = in.next(s.requestMillis());
                if (b == null) {
                    open = !last.report() && !last.dropped();
                    break;
                }
                Event e = event(b);
                events.add(e);
                if (e.report()) {
                    reports++;
                }
            }
            judge(events, open, s.requestMillis());
            ctx.note(events.size() + " events in " + reports + " updates after the starvation, all whole");
        }
    }

    private static Event event(byte[] b) throws CheckFailure {
        CheckFailure.require(b.length == InputChecks.EVENT_SIZE, "an eventq buffer came back with used length " + b.length
                + ", not one " + InputChecks.EVENT_SIZE + "-byte virtio_input_event");
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return new Event(bb.getShort(0) & 0xffff, bb.getShort(2) & 0xffff, bb.getInt(4) & 0xffffffffL);
    }

    /**
     * Splits the stream into updates and fails on a mark of a cut. SYN_DROPPED is the device
     * saying it dropped events: the update it ends is not judged. Key values 0 and 1 are states
     * (2 is autorepeat, which may come again).
     */
    private static void judge(List<Event> events, boolean leftOpen, long quietMillis) throws CheckFailure {
        List<Event> update = new ArrayList<>();
        int index = 0;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.dropped()) {
                update.clear();
                continue;
            }
            if (!e.report()) {
                update.add(e);
                continue;
            }
            CheckFailure.require(!update.isEmpty(), "update " + index + " (event " + i + " after the starvation) is a"
                    + " SYN_REPORT with no event before it: the events of an update were dropped and its report kept");
            for (int a = 0; a < update.size(); a++) {
                for (int b = a + 1; b < update.size(); b++) {
                    Event x = update.get(a);
                    Event y = update.get(b);
                    if (x.type() == InputChecks.EV_KEY && x.equals(y) && x.value() <= 1) {
                        throw new CheckFailure("update " + index + " reports key " + x.code() + " as " + x.value()
                                + " twice: " + update + " (two updates glued together, the report between them dropped)");
                    }
                }
            }
            update.clear();
            index++;
        }
        CheckFailure.require(!leftOpen || update.isEmpty(), "the stream stopped for " + quietMillis + " ms in the middle of"
                + " an update: " + update + " came with no SYN_REPORT after them");
    }
}
