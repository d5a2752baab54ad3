package dev.avps.conform.platform;

import dev.avps.conform.Session;
import dev.avps.conform.Target;
import dev.avps.conform.model.Catalog;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.QueueModel;
import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.VhostUserFrontEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a front end sees of one backend, on one connection negotiated as a driver would (every
 * device feature offered, VERSION_1): the features, whether GET_CONFIG and GET_QUEUE_NUM are
 * there and what they say, and whether all of it fits the device the configuration names.
 * vhost-user carries no device ID, so "fits" is the most a front end can say: features the
 * device does not define, a config space shorter than the device's, or fewer queues than it has
 * show a backend of another kind; their absence does not prove the kind.
 */
public final class HostProbe {

    /**
     * One backend as observed.
     *
     * @param broken    why the backend took no driver's negotiation, or null
     * @param mismatch  why it does not look like the device named, or null
     * @param evidence  what was seen to fit the device
     * @param config    the config bytes the negotiated features make present, or null when not read
     * @param configError why GET_CONFIG failed, or null
     * @param queueNum  GET_QUEUE_NUM's answer, or -1 when not asked
     * @param queueError why GET_QUEUE_NUM failed, or null
     */
    public record Observation(String device, Path socket, String broken, long offered, long negotiated,
            boolean hasConfig, boolean hasMq, byte[] config, String configError, int queueNum, String queueError,
            String mismatch, List<String> evidence) {

        boolean usable() {
            return broken == null && mismatch == null;
        }
    }

    private HostProbe() {
    }

    /**
     * Observes the backend on {@code socket} as {@code device}; a socket where nothing answers is a
     * usage error (the configuration is wrong, not the backend). Every wait is bounded by
     * {@code replyMillis} (and the connector's retry window).
     */
    public static Observation observe(DeviceModel device, List<FeatureModel> transport, Path socket, long replyMillis)
            throws UsageError {
        String key = "--socket " + device.name() + "=" + socket;
        if (!Files.exists(socket)) {
            throw new UsageError(key + ": no socket there");
        }
        try (VhostUserFrontEnd fe = VhostUserFrontEnd.connect(socket, replyMillis)) {
            fe.getFeatures();
        } catch (FrontEndException e) {
            throw new UsageError(key + ": no backend answers there (" + e.getMessage() + ")");
        }
        Target target = new Target(socket, Catalog.of(device, transport), null, replyMillis, replyMillis,
                Target.DEFAULT_CHECK_MILLIS);
        long wanted = Session.VERSION_1 | deviceMask(device, false);
        try (Session s = Session.open(target, wanted)) {
            return observe(device, socket, s);
        } catch (FrontEndException e) {
            return new Observation(device.name(), socket, "the backend at " + socket
                    + " did not complete a driver's negotiation: " + e.getMessage(), 0, 0, false, false, null, null, -1,
                    null, null, List.of());
        }
    }

    private static Observation observe(DeviceModel d, Path socket, Session s) {
        long offered = s.offered();
        long negotiated = s.negotiated();
        List<String> mismatch = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        // Bits 0 to 23 are the device type's own (VIRTIO 1.4 2.2): one it does not define is another type's.
        long foreign = offered & 0xFF_FFFFL & ~deviceMask(d, true);
        if (foreign != 0) {
            mismatch.add("it offers feature bit(s) " + bits(foreign) + ", which " + d.name() + " does not define");
        } else {
            evidence.add("its device feature bits (0x" + Long.toHexString(offered & 0xFF_FFFFL) + ") are all "
                    + d.name() + "'s");
        }
        byte[] config = null;
        String configError = null;
        int size = d.config() == null ? 0 : Layouts.configSize(d.config(), negotiated);
        if (s.hasConfig() && size > 0) {
            try {
                config = s.config(size);
                evidence.add("GET_CONFIG gave the " + size + " config bytes " + d.name() + " has with these features");
            } catch (FrontEndException e) {
                configError = e.getMessage();
                mismatch.add("GET_CONFIG of the " + size + " config bytes " + d.name() + " has with these features failed: "
                        + e.getMessage());
            }
        } else if (size > 0) {
            evidence.add("no CONFIG protocol feature, so its config space was not compared");
        }
        int queueNum = -1;
        String queueError = null;
        if (s.hasMq()) {
            try {
                queueNum = s.frontEnd().getQueueNum();
                int needed = queuesNeeded(d, config, negotiated);
                if (needed > queueNum) {
                    mismatch.add("GET_QUEUE_NUM reports " + queueNum + " queue(s); " + d.name()
                            + " has " + needed + " with these features");
                } else if (needed > 0) {
                    evidence.add("GET_QUEUE_NUM reports " + queueNum + " queue(s), covering the " + needed + " "
                            + d.name() + " has");
                }
            } catch (FrontEndException e) {
                queueError = e.getMessage();
                mismatch.add("GET_QUEUE_NUM failed: " + e.getMessage());
            }
        }
        return new Observation(d.name(), socket, null, offered, negotiated, s.hasConfig(), s.hasMq(), config,
                configError, queueNum, queueError, mismatch.isEmpty() ? null : String.join("; ", mismatch),
                List.copyOf(evidence));
    }

    /** The queues the model's count rule gives (as dev_queue_count counts them), or 0 when it cannot tell. */
    private static int queuesNeeded(DeviceModel d, byte[] config, long features) {
        int end = 0;
        for (QueueModel q : d.queues()) {
            if (q.condition() != null && !Layouts.holds(q.condition(), features)) {
                continue;
            }
            OptionalLong n = Layouts.evaluate(q.count(), d.config(), config, features);
            if (n.isEmpty()) {
                return 0;
            }
            if (n.getAsLong() > 0) {
                long last = Layouts.queueIndex(d, q.name(), features) + (n.getAsLong() - 1) * q.stride();
                end = (int) Math.max(end, Math.min(last + 1, Integer.MAX_VALUE));
            }
        }
        return end;
    }

    /** The device's own feature bits below 64 as a mask; legacy ones only when asked (to recognise, not to negotiate). */
    static long deviceMask(DeviceModel d, boolean withLegacy) {
        long m = 0;
        for (FeatureModel f : d.features()) {
            if ((withLegacy || !f.legacy()) && f.bit() < 64) {
                m |= 1L << f.bit();
            }
        }
        return m;
    }

    private static String bits(long mask) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            if ((mask & (1L << b)) != 0) {
                out.add(Integer.toString(b));
            }
        }
        return String.join(", ", out);
    }
}
