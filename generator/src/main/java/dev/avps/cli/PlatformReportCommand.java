package dev.avps.cli;

import dev.avps.dsl.load.OneLine;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.generator.GenerationException;
import dev.avps.generator.TemplateRenderer;
import dev.avps.model.PlatformModel;
import dev.avps.platform.PlatformReport;
import dev.avps.platform.VerdictLines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code avps platform-report}: one platform judged from the verdicts of a guest probe and of host
 * checks, merged into an HTML page and a JUnit XML file. Exit 0 when the platform holds, 1 when a
 * MUST statement failed, 2 when an input is wrong (each problem named with its file and line).
 */
@Command(name = "platform-report", mixinStandardHelpOptions = true,
        description = "Merge a platform's guest-probe and host-check verdicts into HTML and JUnit XML.")
final class PlatformReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Spec files or directories (the catalog).")
    List<Path> files;

    @Option(names = "--platform", required = true, description = "The platform the verdicts are about.")
    String platform;

    @Option(names = "--verdicts", required = true, paramLabel = "FILE",
            description = "Output of the guest probe or of `avps conform platform` (repeat for each source); the"
                    + " file's name names the source in the report.")
    List<Path> verdicts = new ArrayList<>();

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as HTML here.")
    Path html;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the report as JUnit XML here.")
    Path junit;

    @Mixin
    SpecInputs specs;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        SpecLoader.Result result = specs.load(files);
        if (result.hasErrors()) {
            specs.print(result.diagnostics(), err);
            return AvpsCli.USAGE;
        }
        Optional<PlatformModel> p = result.model().platforms().stream().filter(x -> x.name().equals(platform)).findFirst();
        if (p.isEmpty()) {
            return usage(err, "no platform '" + OneLine.of(platform) + "' in " + files + "; known: "
                    + String.join(", ", result.model().platforms().stream().map(PlatformModel::name).toList()));
        }
        List<VerdictLines.Verdict> all = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        PlatformReport report;
        try {
            for (Path f : verdicts) {
                String name = f.getFileName().toString();
                sources.add(name);
                all.addAll(VerdictLines.parse(name, Files.readString(f, StandardCharsets.UTF_8)));
            }
            report = PlatformReport.of(p.get(), sources, all);
        } catch (IOException e) {
            return usage(err, "cannot read verdicts: " + e);
        } catch (VerdictLines.MalformedException e) {
            return usage(err, e.getMessage());
        }
        try {
            TemplateRenderer renderer = new TemplateRenderer(null);
            Map<String, Object> data = Map.of("r", report);
            if (html != null) {
                write(html, renderer.render("platform-report/report.html.ftlh", data));
            }
            if (junit != null) {
                write(junit, renderer.render("platform-report/junit.xml.ftlx", data));
            }
        } catch (GenerationException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            return usage(err, "cannot write the report: " + e);
        }
        out.println("platform " + p.get().name() + " " + p.get().version() + ": "
                + (report.holds() ? "holds" : "fails (" + String.join(", ", report.failedMusts()) + ")") + "; "
                + report.counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
        out.flush();
        return report.holds() ? 0 : 1;
    }

    /** Atomically: a reader never sees half a report, and a failed run leaves the previous one. */
    private static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("avps platform-report: " + OneLine.of(message));
        err.flush();
        return AvpsCli.USAGE;
    }
}
