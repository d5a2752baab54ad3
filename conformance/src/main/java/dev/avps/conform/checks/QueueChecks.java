package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Session;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.QueueModel;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The queue count rule: the queues the model says exist under the negotiated features can be set up. */
public final class QueueChecks implements CheckFamily {

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(new Check("dev_queue_count", "The backend has at least as many queues as the model's count rule gives for the negotiated"
                        + " features (GET_QUEUE_NUM, when offered), and each of them can be set up.",
                QueueChecks::count));
    }

    private static void count(CheckContext ctx) throws Exception {
        DeviceModel d = ctx.device();
        try (Session s = ctx.open()) {
            byte[] config = null;
            if (d.config() != null && s.hasConfig()) {
                config = s.config(Layouts.configSize(d.config(), s.negotiated()));
            }
            List<Integer> indexes = new ArrayList<>();
            List<String> rule = new ArrayList<>();
            for (QueueModel q : d.queues()) {
                if (q.condition() != null && !Layouts.holds(q.condition(), s.negotiated())) {
                    continue;
                }
                OptionalLong n = Layouts.evaluate(q.count(), d.config(), config, s.negotiated());
                if (n.isEmpty()) {
                    throw Inapplicable.notCheckable("the count of queue " + q.name() + " ("
                            + q.count().render() + ") needs config fields the front end cannot read");
                }
                if (n.getAsLong() < 1) {
                    throw new CheckFailure("queue " + q.name() + " has count " + n.getAsLong() + " ("
                            + q.count().render() + "): a device has at least one");
                }
                int first = Layouts.queueIndex(d, q.name(), s.negotiated(), Layouts.fields(d.config(), config));
                for (long k = 0; k < n.getAsLong(); k++) {
                    indexes.add((int) (first + k * q.stride()));
                }
                rule.add(q.name() + " x" + n.getAsLong());
            }
            if (s.hasMq()) {
                int max = indexes.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
                int reported = s.frontEnd().getQueueNum();
                CheckFailure.require(reported >= max, "GET_QUEUE_NUM reports " + reported + " queues; the model's"
                        + " count rule gives " + max + " (" + String.join(", ", rule) + ")");
            }
            int started = 0;
            for (int i : indexes) {
                if (i >= 16) {
                    ctx.note("queues from 16 on not set up");
                    break;
                }
                try {
                    s.ring(i);
                    started++;
                } catch (FrontEndException e) {
                    throw new CheckFailure("setting up queue " + i + " failed: " + e.getMessage());
                }
            }
            ctx.note(String.join(", ", rule) + "; " + started + " queue(s) set up");
        }
    }
}
