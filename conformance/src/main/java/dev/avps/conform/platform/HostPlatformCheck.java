package dev.avps.conform.platform;

import dev.avps.conform.platform.HostProbe.Observation;
import dev.avps.model.Verdict;
import dev.avps.conform.platform.Verdicts.Summary;
import dev.avps.model.PlatformModel;
import dev.avps.model.PlatformModel.DeviceEntry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration (one backend socket per device it provides) judged against a platform from the
 * host side: every socket is checked to name a device the platform lists and to answer, then each
 * backend is observed once and every statement of the platform gets its verdict.
 */
public final class HostPlatformCheck {

    /** The verdicts, in the platform's statement order, and the summary line. */
    public record Result(List<Verdict> lines, Summary summary) {
    }

    private HostPlatformCheck() {
    }

    /**
     * @param sockets backend sockets by catalog device name
     * @throws UsageError for a device the catalog lacks or the platform does not list, or a socket
     *                    where nothing answers
     */
    public static Result run(PlatformSource.Loaded loaded, Map<String, Path> sockets, long replyMillis)
            throws UsageError {
        return run(loaded, sockets, java.util.Set.of(), replyMillis);
    }

    /**
     * @param elsewhere devices this configuration provides without a vhost-user backend (the
     *                  hypervisor's own virtio-net, say): their statements skip instead of failing
     */
    public static Result run(PlatformSource.Loaded loaded, Map<String, Path> sockets, java.util.Set<String> elsewhere,
            long replyMillis) throws UsageError {
        PlatformModel p = loaded.platform();
        Map<String, DeviceEntry> listed = new LinkedHashMap<>();
        p.devices().forEach(d -> listed.put(d.device().name(), d));
        for (Map.Entry<String, Path> e : sockets.entrySet()) {
            String key = "--socket " + e.getKey() + "=" + e.getValue();
            if (!loaded.catalogDevices().contains(e.getKey())) {
                throw new UsageError(key + ": the catalog has no device '" + e.getKey() + "'");
            }
            if (!listed.containsKey(e.getKey())) {
                throw new UsageError(key + ": platform " + p.name() + " does not list " + e.getKey() + " (it lists "
                        + String.join(", ", listed.keySet()) + ")");
            }
        }
        for (String e : elsewhere) {
            if (!listed.containsKey(e)) {
                throw new UsageError("--elsewhere " + e + ": platform " + p.name() + " does not list " + e);
            }
            if (sockets.containsKey(e)) {
                throw new UsageError("--elsewhere " + e + ": it has a --socket too; give one or the other");
            }
        }
        Map<String, Observation> seen = new LinkedHashMap<>();
        for (DeviceEntry d : listed.values()) {
            Path socket = sockets.get(d.device().name());
            if (socket != null) {
                seen.put(d.device().name(), HostProbe.observe(d.device(), loaded.transportFeatures(), socket,
                        replyMillis));
            }
        }
        List<Verdict> lines = HostJudge.judge(p, seen, elsewhere);
        return new Result(lines, new Summary(p.name(), Verdicts.HOST, HostJudge.passes(p, lines)));
    }
}
