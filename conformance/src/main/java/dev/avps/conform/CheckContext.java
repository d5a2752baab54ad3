package dev.avps.conform;

import dev.avps.conform.model.Catalog;
import dev.avps.conform.model.Layouts;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.vhostuser.driver.FrontEndException;
import dev.avps.vhostuser.driver.VhostUserFrontEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What a running check can use: the target, the model, the features the backend offered, and
 * sessions (closed for it when the check ends, however it ends).
 */
public final class CheckContext implements AutoCloseable {
    private final Target target;
    private final long offered;
    private final List<Session> sessions = new ArrayList<>();
    private volatile boolean closed;
    private String note = "";
    private Long insisted;

    private final Function<String, OptionalLong> configValues;

    CheckContext(Target target, long offered) {
        this(target, offered, name -> OptionalLong.empty());
    }

    CheckContext(Target target, long offered, Function<String, OptionalLong> configValues) {
        this.target = target;
        this.offered = offered;
        this.configValues = configValues;
    }

    public Target target() {
        return target;
    }

    public Catalog catalog() {
        return target.catalog();
    }

    public DeviceModel device() {
        return target.catalog().device();
    }

    /** Feature bits 0..63 the backend offered (probed once per run). */
    public long offered() {
        return offered;
    }

    /** The device's own (non-legacy) feature bits that the model knows and the target allows, as a mask. */
    public long deviceFeatureMask() {
        long m = 0;
        for (FeatureModel f : device().features()) {
            if (!f.legacy() && f.bit() < 64 && (target.features() == null || target.features().contains(f.name()))) {
                m |= 1L << f.bit();
            }
        }
        return m;
    }

    /** What a session negotiates by default: VERSION_1 and every allowed device feature offered. */
    public long defaultFeatures() {
        return offered & (deviceFeatureMask() | Session.VERSION_1);
    }

    /** Whether the backend offers the device feature named (and the target allows it). */
    public boolean offers(String featureName) {
        return device().feature(featureName).map(f -> (defaultFeatures() & (1L << f.bit())) != 0).orElse(false);
    }

    /**
     * Offered features the backend may refuse FEATURES_OK without, by the spec's leave (probed once
     * per check, on first use): checks that try feature sets keep these in.
     */
    public long insisted() throws Exception {
        if (insisted == null) {
            insisted = Registry.insistedFeatures(this) & offered;
        }
        return insisted;
    }

    public long bit(String featureName) {
        return 1L << device().feature(featureName).orElseThrow(
                () -> new IllegalArgumentException(device().name() + " has no feature " + featureName)).bit();
    }

    /**
     * The index of the first instance of {@code queue} under {@link #defaultFeatures()}, numbered as
     * the model says with the device's config values as the run read them at its start (without
     * the CONFIG protocol feature, the running count: right unless a group repeats).
     */
    public int queueIndex(String queue) {
        return Layouts.queueIndex(device(), queue, defaultFeatures(), configValues);
    }

    /**
     * The config values a driver negotiating the default features reads, by field name, from one
     * connection (empty when the backend has no CONFIG protocol feature or the read fails: the
     * checks then say so where they need them).
     */
    static Function<String, OptionalLong> readConfigValues(Target target, long offered) {
        CheckContext probe = new CheckContext(target, offered);
        byte[] config = null;
        if (probe.device().config() != null) {
            try (Session s = probe.open()) {
                if (s.hasConfig()) {
                    config = s.config(Layouts.configSize(probe.device().config(), s.negotiated()));
                }
            } catch (FrontEndException e) {
                config = null;
            } finally {
                probe.close();
            }
        }
        return Layouts.fields(probe.device().config(), config);
    }

    public Session open() throws FrontEndException {
        return open(defaultFeatures());
    }

    public Session open(long features) throws FrontEndException {
        if (closed) {
            throw new FrontEndException(FrontEndException.Reason.CONNECTION_BROKEN, "the check was stopped");
        }
        Session s = Session.open(target, features);
        synchronized (sessions) {
            sessions.add(s);
        }
        return s;
    }

    /**
     * Fails unless the backend still takes a new connection and answers on it: after a malformed
     * request, "never a dead backend".
     */
    public void requireAlive(String after) throws CheckFailure {
        try (VhostUserFrontEnd fe = Connector.connect(target)) {
            fe.getFeatures();
        } catch (FrontEndException e) {
            throw new CheckFailure("the backend is dead after " + after + ": " + e.getMessage());
        }
    }

    /** A remark kept with a passing result (what was tried, what was not observable). */
    public void note(String text) {
        note = note.isEmpty() ? text : note + "; " + text;
    }

    String noteText() {
        return note;
    }

    /** Closes every session the check opened (also from the runner's thread, to end a hung check). */
    @Override
    public void close() {
        closed = true;
        List<Session> all;
        synchronized (sessions) {
            all = new ArrayList<>(sessions);
            sessions.clear();
        }
        for (Session s : all) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closing is best effort: the backend may already be gone
            }
        }
    }
}
