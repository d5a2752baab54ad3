package dev.avps.conform;

import dev.avps.conform.model.Catalog;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run found about one backend.
 *
 * @param label   what was checked, as the report titles it (e.g. "blk on /run/blk.sock")
 * @param offered the feature bits the backend offered (-1: unknown, e.g. it could not be reached);
 *                the report needs them to tell a requirement on an absent feature from a checked one
 * @param aborted why the run stopped early, or empty when every check ran
 */
public record DeviceReport(String label, Catalog catalog, long offered, List<CheckResult> results, String aborted,
        long millis) {

    public DeviceReport {
        results = List.copyOf(results);
    }

    /** A report whose backend's features are unknown. */
    public DeviceReport(String label, Catalog catalog, List<CheckResult> results, String aborted, long millis) {
        this(label, catalog, -1, results, aborted, millis);
    }

    public String device() {
        return catalog.device().name();
    }

    /** How many checks ended with each verdict (every verdict present, zeros included). */
    public Map<Verdict, Integer> figures() {
        Map<Verdict, Integer> m = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            m.put(v, 0);
        }
        for (CheckResult r : results) {
            m.merge(r.verdict(), 1, Integer::sum);
        }
        return m;
    }

    public boolean passed() {
        return results.stream().noneMatch(r -> r.verdict() == Verdict.FAILED);
    }

    /** The names of the failed checks, in run order. */
    public List<String> failed() {
        return results.stream().filter(r -> r.verdict() == Verdict.FAILED).map(CheckResult::check).toList();
    }

    public CheckResult result(String check) {
        return results.stream().filter(r -> r.check().equals(check)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check " + check + " in this report"));
    }
}
