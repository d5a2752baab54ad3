package dev.avps.conform.report;

import dev.avps.conform.CheckResult;
import dev.avps.conform.DeviceReport;
import dev.avps.conform.Verdict;
import dev.avps.model.RequirementModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A static HTML page per device: the check figures, then the device chapter's requirements and the
 * shared rules, each with its figures and every requirement's status and checks (as the catalog's
 * {@code checked by} joins them), then each check with what was observed. No scripts, no external files.
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}"
            + ".passed{color:#070}.failed{color:#b00;font-weight:bold}.skipped,.not-checkable,.not-yet-implemented{color:#777}";

    private HtmlReport() {
    }

    public static Path write(DeviceReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve(report.device() + ".html");
        Files.writeString(out, render(report), StandardCharsets.UTF_8);
        return out;
    }

    public static String render(DeviceReport report) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>avps conform: ")
                .append(esc(report.device())).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>avps conform: ").append(esc(report.label())).append("</h1>\n<p>");
        Map<Verdict, Integer> f = report.figures();
        for (Verdict v : Verdict.values()) {
            b.append("<span class=\"").append(css(v)).append("\">").append(f.get(v)).append(' ').append(v.label())
                    .append("</span> &middot; ");
        }
        b.append(report.results().size()).append(" checks in ").append(report.millis()).append(" ms</p>\n");
        if (!report.aborted().isEmpty()) {
            b.append("<p class=\"failed\">Run stopped: ").append(esc(report.aborted())).append("</p>\n");
        }
        requirements(b, "Requirements of the " + report.device() + " chapter", RequirementJoin.deviceRows(report));
        requirements(b, "Rules every device honours (config.avps, ring.avps)", RequirementJoin.sharedRows(report));
        b.append("<h2>Checks</h2>\n<table><tr><th>check</th><th>requirements (catalog)</th><th>verdict</th>"
                + "<th>observed</th><th>ms</th></tr>\n");
        for (CheckResult r : report.results()) {
            b.append("<tr id=\"check-").append(esc(r.check())).append("\"><td>").append(esc(r.check()))
                    .append("</td><td>");
            for (String id : RequirementJoin.requirementsOf(report.catalog(), r.check())) {
                b.append("<a href=\"#req-").append(esc(id)).append("\">").append(esc(id)).append("</a> ");
            }
            b.append("</td><td class=\"").append(css(r.verdict())).append("\">").append(r.verdict().label())
                    .append("</td><td>").append(esc(r.reason())).append("</td><td>").append(r.millis())
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    /**
     * One table of requirements: ID with section number and .avps file:line (no link to the OASIS
     * HTML, which is not reachable offline), statement, status and the checks behind it; the
     * figures above it.
     */
    private static void requirements(StringBuilder b, String title, List<RequirementJoin.Row> rows) {
        b.append("<h2>").append(esc(title)).append("</h2>\n<p class=\"figures\">")
                .append(esc(RequirementJoin.figures(rows).toString())).append("</p>\n");
        b.append("<table><tr><th>requirement</th><th>section</th><th>statement</th><th>status</th>"
                + "<th>checks</th></tr>\n");
        for (RequirementJoin.Row row : rows) {
            RequirementModel r = row.requirement();
            b.append("<tr id=\"req-").append(esc(row.id())).append("\"><td>").append(esc(row.id()))
                    .append("<br><small>").append(esc(row.where().file())).append(':').append(row.where().line())
                    .append("</small></td><td>").append(r.section() == null ? "" : "VIRTIO 1.4 &sect;" + esc(r.section()))
                    .append("</td><td>").append(esc("device " + r.keyword() + " " + r.text()))
                    .append("</td><td class=\"").append(row.status().name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', '-')).append("\">").append(row.status().label());
            if (!row.reason().isEmpty()) {
                b.append(": ").append(esc(row.reason()));
            }
            b.append("</td><td>");
            for (CheckResult c : row.results()) {
                b.append("<a href=\"#check-").append(esc(c.check())).append("\">").append(esc(c.check()))
                        .append("</a>: <span class=\"").append(css(c.verdict())).append("\">")
                        .append(c.verdict().label()).append("</span><br>");
            }
            for (String n : row.unimplemented()) {
                b.append(esc(n)).append(": <span class=\"not-yet-implemented\">not yet implemented</span><br>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static String css(Verdict v) {
        return v.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String esc(String s) {
        return JUnitXml.esc(s);
    }
}
