package dev.avps.platform;

import dev.avps.model.PlatformModel;
import dev.avps.model.RequirementModel.Level;
import dev.avps.model.Verdict.Outcome;
import dev.avps.platform.VerdictLines.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One platform judged from several sources (a guest probe's output, host checks of backend
 * sockets): per statement, every source's verdict and the merged outcome, and the platform's.
 * A statement fails when any source saw it fail, passes when some source saw it hold and none saw
 * it fail, and is skipped when no source could observe it. The platform fails when a MUST
 * statement fails; a failed SHOULD is a warning and a failed MAY (an optional device left out)
 * only information.
 */
public final class PlatformReport {

    /** One statement's line in the report. */
    public record Row(PlatformModel.Statement statement, Outcome outcome, List<Verdict> verdicts) {

        /** pass, fail, warn (a failed SHOULD), absent (a failed MAY) or skip: the report's word. */
        public String result() {
            if (outcome != Outcome.FAIL) {
                return outcome.name().toLowerCase(java.util.Locale.ROOT);
            }
            return switch (statement.level()) {
                case MUST -> "fail";
                case SHOULD -> "warn";
                case MAY -> "absent";
            };
        }
    }

    private final PlatformModel platform;
    private final List<String> sources;
    private final List<Row> rows = new ArrayList<>();

    private PlatformReport(PlatformModel platform, List<String> sources) {
        this.platform = platform;
        this.sources = List.copyOf(sources);
    }

    /**
     * Merges verdicts; a verdict about a statement the platform does not make is an error (a probe
     * generated from another platform or version), named by its file and line.
     */
    public static PlatformReport of(PlatformModel p, List<String> sources, List<Verdict> verdicts)
            throws VerdictLines.MalformedException {
        Map<String, List<Verdict>> byId = new LinkedHashMap<>();
        for (PlatformModel.Statement s : p.statements()) {
            byId.put(s.id(), new ArrayList<>());
        }
        for (Verdict v : verdicts) {
            List<Verdict> into = byId.get(v.id());
            if (into == null) {
                throw new VerdictLines.MalformedException(v.source() + ":" + v.line() + ": platform " + p.name() + " "
                        + p.version() + " makes no statement '" + v.id()
                        + "' (was the probe generated from another platform or version?)");
            }
            into.add(v);
        }
        PlatformReport r = new PlatformReport(p, sources);
        for (PlatformModel.Statement s : p.statements()) {
            List<Verdict> vs = byId.get(s.id());
            r.rows.add(new Row(s, merge(vs), List.copyOf(vs)));
        }
        return r;
    }

    static Outcome merge(List<Verdict> vs) {
        Outcome o = Outcome.SKIP;
        for (Verdict v : vs) {
            if (v.outcome() == Outcome.FAIL) {
                return Outcome.FAIL;
            }
            if (v.outcome() == Outcome.PASS) {
                o = Outcome.PASS;
            }
        }
        return o;
    }

    public PlatformModel platform() {
        return platform;
    }

    public List<String> sources() {
        return sources;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The MUST statements that failed, by ID: empty when the platform holds. */
    public List<String> failedMusts() {
        return rows.stream().filter(r -> r.outcome() == Outcome.FAIL && r.statement().level() == Level.MUST)
                .map(r -> r.statement().id()).toList();
    }

    public boolean holds() {
        return failedMusts().isEmpty();
    }

    /** How many rows have each report word, in a fixed order, for the summary line. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String k : List.of("pass", "fail", "warn", "absent", "skip")) {
            out.put(k, rows.stream().filter(r -> r.result().equals(k)).count());
        }
        return out;
    }
}
