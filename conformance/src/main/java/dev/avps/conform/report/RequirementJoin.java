package dev.avps.conform.report;

import dev.avps.conform.CheckResult;
import dev.avps.conform.DeviceReport;
import dev.avps.model.RequirementModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where requirements meet check results. Today the link is the checks' own
 * {@code covers} lists; once the catalog says per requirement {@code checked by NAME, ...} or
 * {@code not checkable "reason"}, that declaration replaces {@link #checksOf} here and nothing
 * else changes: the report pages iterate {@link #rows}.
 */
public final class RequirementJoin {

    /**
     * One requirement ID with the results of the checks covering it.
     *
     * @param requirement the catalog's statement, or {@code null} for an ID only a check names
     *                    (the generic vq_, cfg_ and init_ rules are not in the catalog yet)
     * @param line        where the catalog declares it (0: not in the catalog)
     */
    public record Row(String id, RequirementModel requirement, int line, List<CheckResult> results) {
    }

    private RequirementJoin() {
    }

    /** Catalog requirements first (in declaration order, uncovered ones included), then IDs only checks name. */
    public static List<Row> rows(DeviceReport report) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RequirementModel r : report.catalog().device().requirements()) {
            rows.put(r.id(), new Row(r.id(), r, report.catalog().requirementLine(r.id()), checksOf(report, r.id())));
        }
        for (CheckResult c : report.results()) {
            for (String id : c.covers()) {
                rows.computeIfAbsent(id, k -> new Row(k, null, 0, checksOf(report, k)));
            }
        }
        return new ArrayList<>(rows.values());
    }

    /** The results of the checks that cover requirement {@code id}. */
    static List<CheckResult> checksOf(DeviceReport report, String id) {
        return report.results().stream().filter(c -> c.covers().contains(id)).toList();
    }
}
