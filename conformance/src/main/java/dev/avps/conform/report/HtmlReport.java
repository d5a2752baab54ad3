package dev.avps.conform.report;

import dev.avps.conform.CheckResult;
import dev.avps.conform.DeviceReport;
import dev.avps.conform.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A static HTML page per device: the figures, then each requirement with the checks covering it
 * and their verdicts (the .avps line for catalog requirements), then each check with what was
 * observed. No scripts, no external files.
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}"
            + ".passed{color:#070}.failed{color:#b00;font-weight:bold}.skipped,.not-checkable{color:#777}";

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
        b.append("<h2>Requirements</h2>\n<table><tr><th>requirement</th><th>statement</th><th>checks</th></tr>\n");
        for (RequirementJoin.Row row : RequirementJoin.rows(report)) {
            b.append("<tr><td id=\"req-").append(esc(row.id())).append("\">").append(esc(row.id()));
            if (row.line() > 0) {
                b.append("<br><small>").append(esc(report.catalog().file())).append(':').append(row.line())
                        .append("</small>");
            }
            b.append("</td><td>");
            if (row.requirement() != null) {
                b.append(esc(row.requirement().party().name().toLowerCase(java.util.Locale.ROOT) + " "
                        + row.requirement().keyword() + " " + row.requirement().text()));
            } else {
                b.append("<small>generic rule (not in the catalog yet)</small>");
            }
            b.append("</td><td>");
            List<CheckResult> rs = row.results();
            if (rs.isEmpty()) {
                b.append("<span class=\"not-checkable\">no check yet</span>");
            }
            for (CheckResult r : rs) {
                b.append("<a href=\"#check-").append(esc(r.check())).append("\">").append(esc(r.check()))
                        .append("</a>: <span class=\"").append(css(r.verdict())).append("\">")
                        .append(r.verdict().label()).append("</span><br>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Checks</h2>\n<table><tr><th>check</th><th>covers</th><th>verdict</th>"
                + "<th>observed</th><th>ms</th></tr>\n");
        for (CheckResult r : report.results()) {
            b.append("<tr id=\"check-").append(esc(r.check())).append("\"><td>").append(esc(r.check()))
                    .append("</td><td>");
            for (String id : r.covers()) {
                b.append("<a href=\"#req-").append(esc(id)).append("\">").append(esc(id)).append("</a> ");
            }
            b.append("</td><td class=\"").append(css(r.verdict())).append("\">").append(r.verdict().label())
                    .append("</td><td>").append(esc(r.reason())).append("</td><td>").append(r.millis())
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    private static String css(Verdict v) {
        return v.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String esc(String s) {
        return JUnitXml.esc(s);
    }
}
