package dev.avps.conform;

import dev.avps.conform.model.Catalog;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run found about one backend.
 *
 * @param label   what was checked, as the report titles it (e.g. "blk on /run/blk.sock")
 * @param aborted why the run stopped early, or empty when every check ran
 */
public record DeviceReport(String label, Catalog catalog, List<CheckResult> results, String aborted,
        long millis) {

    public DeviceReport {
        results = List.copyOf(results);
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
