package dev.avps.conform.report;

import dev.avps.conform.CheckResult;
import dev.avps.conform.DeviceReport;
import dev.avps.conform.Registry;
import dev.avps.conform.Verdict;
import dev.avps.conform.model.Catalog;
import dev.avps.model.FeatureModel;
import dev.avps.model.RequirementModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place where requirements meet check results. The catalog alone says which check tests
 * which requirement (each requirement's {@code checked by} list and, for its inline {@code expect}
 * bounds, the check {@code <requirement>_expect}; or {@code not checkable "why"});
 * the checks carry no list of their own, so the two cannot drift apart again.
 */
public final class RequirementJoin {

    /** How one requirement fared in a run. */
    public enum Status {
        PASSED, FAILED, SKIPPED, NOT_CHECKABLE, NOT_YET_IMPLEMENTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One catalog requirement with the results of the implemented checks its {@code checked by}
     * names, and the names nothing implements yet.
     *
     * @param reason why it is not checkable or skipped (the catalog's or the check's words), else empty
     */
    public record Row(Catalog.Located where, List<CheckResult> results, List<String> unimplemented, Status status,
            String reason) {
        public String id() {
            return where.id();
        }

        public RequirementModel requirement() {
            return where.requirement();
        }

        /** Whether an implemented check ran against the backend to a verdict on it (passed or failed). */
        public boolean checked() {
            return status == Status.PASSED || status == Status.FAILED;
        }
    }

    /**
     * The counts a report prints for a list of rows.
     *
     * @param modeled   the catalog's device-side requirements
     * @param checkable those the catalog names checks for (the rest it says are not checkable)
     * @param covered   checkable ones at least one of whose named checks is implemented, whatever the
     *                  backend offers (the tool's reach, where {@code checked} is this run's)
     * @param checked   those with at least one implemented check that reached a verdict
     * @param passed    those whose checks all passed (no failure, at least one pass)
     */
    public record Figures(int modeled, int checkable, int covered, int checked, int passed) {
        @Override
        public String toString() {
            return modeled + " modeled, " + checkable + " checkable, " + covered + " with an implemented check, "
                    + checked + " checked, " + passed + " passed";
        }
    }

    private RequirementJoin() {
    }

    /** The device chapter's device-side requirements, in declaration order. */
    public static List<Row> deviceRows(DeviceReport report) {
        return join(report, report.catalog().deviceRequirements());
    }

    /** The shared rules of config.avps and ring.avps, which every device honours. */
    public static List<Row> sharedRows(DeviceReport report) {
        try {
            return join(report, Catalog.sharedRules());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Figures figures(List<Row> rows) {
        int checkable = (int) rows.stream().filter(r -> r.requirement().status() == RequirementModel.Status.CHECKED)
                .count();
        int covered = (int) rows.stream().filter(r -> r.requirement().status() == RequirementModel.Status.CHECKED
                && r.unimplemented().size() < r.requirement().checkNames().size()).count();
        int checked = (int) rows.stream().filter(Row::checked).count();
        int passed = (int) rows.stream().filter(r -> r.status() == Status.PASSED).count();
        return new Figures(rows.size(), checkable, covered, checked, passed);
    }

    /** The catalog requirements (device chapter and shared rules) whose {@code checked by} names the check. */
    public static List<String> requirementsOf(Catalog catalog, String check) {
        List<Catalog.Located> all = new ArrayList<>(catalog.deviceRequirements());
        try {
            all.addAll(Catalog.sharedRules());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.stream().filter(l -> l.requirement().checkNames().contains(check)).map(Catalog.Located::id).toList();
    }

    private static List<Row> join(DeviceReport report, List<Catalog.Located> requirements) {
        Set<String> implemented = Registry.checksFor(report.catalog().device()).stream().map(c -> c.name())
                .collect(Collectors.toSet());
        List<Row> rows = new ArrayList<>();
        for (Catalog.Located l : requirements) {
            List<String> names = l.requirement().checkNames();
            List<CheckResult> results = report.results().stream().filter(r -> names.contains(r.check())).toList();
            List<String> missing = names.stream().filter(n -> !implemented.contains(n)).toList();
            Row row = row(l, results, missing, names.size() > missing.size());
            String absent = notOffered(report, l.requirement());
            if (absent != null && row.checked()) {
                // The check ran, but what it saw says nothing about a feature the backend lacks.
                row = new Row(l, results, missing, Status.SKIPPED, "the backend does not offer " + absent);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The feature a requirement is {@code on}, when the backend is known not to offer it; else null. */
    private static String notOffered(DeviceReport report, RequirementModel r) {
        if (r.target() == null || report.offered() < 0) {
            return null;
        }
        Optional<FeatureModel> f = report.catalog().device().feature(r.target()).or(() -> report.catalog()
                .transportFeatures().stream().filter(t -> t.name().equals(r.target())).findFirst());
        if (f.isEmpty() || f.get().bit() >= Long.SIZE) {
            return null;
        }
        return (report.offered() & (1L << f.get().bit())) == 0 ? f.get().name() : null;
    }

    private static Row row(Catalog.Located l, List<CheckResult> results, List<String> missing, boolean anyImplemented) {
        RequirementModel r = l.requirement();
        if (r.status() == RequirementModel.Status.NOT_CHECKABLE) {
            return new Row(l, results, missing, Status.NOT_CHECKABLE, r.notCheckableReason());
        }
        if (r.status() == RequirementModel.Status.UNSTATED) {
            return new Row(l, results, missing, Status.NOT_YET_IMPLEMENTED, "the catalog names no check");
        }
        if (!anyImplemented) {
            return new Row(l, results, missing, Status.NOT_YET_IMPLEMENTED, "");
        }
        if (results.isEmpty()) {
            return new Row(l, results, missing, Status.SKIPPED, "its checks did not run");
        }
        for (Verdict v : List.of(Verdict.FAILED, Verdict.PASSED, Verdict.SKIPPED, Verdict.NOT_CHECKABLE)) {
            List<CheckResult> with = results.stream().filter(c -> c.verdict() == v).toList();
            if (!with.isEmpty()) {
                String why = with.stream().map(c -> c.check() + ": " + c.reason()).collect(Collectors.joining("; "));
                return new Row(l, results, missing, Status.valueOf(v.name()), v == Verdict.PASSED ? "" : why);
            }
        }
        throw new AssertionError("every verdict is handled");
    }
}
