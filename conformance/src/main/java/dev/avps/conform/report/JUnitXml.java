package dev.avps.conform.report;

import dev.avps.conform.CheckResult;
import dev.avps.conform.DeviceReport;
import dev.avps.conform.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A JUnit XML file per device (the format CI servers read): one test suite, one test case per
 * check; a failure carries the observed reason, skipped and not-checkable checks are skipped with
 * theirs. The catalog requirements whose {@code checked by} names a check go into a property.
 */
public final class JUnitXml {

    private JUnitXml() {
    }

    public static Path write(DeviceReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve("TEST-avps-conform-" + report.device() + ".xml");
        Files.writeString(out, render(report), StandardCharsets.UTF_8);
        return out;
    }

    public static String render(DeviceReport report) {
        Map<Verdict, Integer> f = report.figures();
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuite name=\"avps-conform.").append(esc(report.device())).append("\" tests=\"")
                .append(report.results().size()).append("\" failures=\"").append(f.get(Verdict.FAILED))
                .append("\" errors=\"0\" skipped=\"").append(f.get(Verdict.SKIPPED) + f.get(Verdict.NOT_CHECKABLE))
                .append("\" time=\"").append(seconds(report.millis())).append("\">\n");
        b.append("  <properties><property name=\"target\" value=\"").append(esc(report.label())).append("\"/>");
        if (!report.aborted().isEmpty()) {
            b.append("<property name=\"aborted\" value=\"").append(esc(report.aborted())).append("\"/>");
        }
        b.append("</properties>\n");
        for (CheckResult r : report.results()) {
            b.append("  <testcase classname=\"avps-conform.").append(esc(report.device())).append("\" name=\"")
                    .append(esc(r.check())).append("\" time=\"").append(seconds(r.millis())).append("\">\n");
            b.append("    <properties><property name=\"covers\" value=\"").append(esc(String.join(" ", RequirementJoin.requirementsOf(report.catalog(), r.check()))))
                    .append("\"/></properties>\n");
            switch (r.verdict()) {
                case FAILED -> b.append("    <failure message=\"").append(esc(r.reason())).append("\"/>\n");
                case SKIPPED, NOT_CHECKABLE -> b.append("    <skipped message=\"").append(esc(r.verdict().label()))
                        .append(": ").append(esc(r.reason())).append("\"/>\n");
                case PASSED -> {
                    if (!r.reason().isEmpty()) {
                        b.append("    <system-out>").append(esc(r.reason())).append("</system-out>\n");
                    }
                }
            }
            b.append("  </testcase>\n");
        }
        return b.append("</testsuite>\n").toString();
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
