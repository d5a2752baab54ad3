package dev.avps.cli;

import dev.avps.diff.Change;
import dev.avps.diff.DiffReport;
import dev.avps.diff.GitRevision;
import dev.avps.diff.SpecDiff;
import dev.avps.dsl.load.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `avps diff OLD NEW` or `avps diff --git REV1 REV2 PATH`: every device change, each under a named
 * rule that says whether drivers or devices built for OLD keep working with NEW. Exit 1 when a
 * change breaks, 0 otherwise, 2 for usage errors or specs that do not load.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Classify every device change between two versions of specs as compatible or breaking.")
final class DiffCommand implements Callable<Integer> {

    static final int BREAKING = 1;
    static final int USAGE = 2;

    enum Format { text, json }

    @Parameters(arity = "1..3", paramLabel = "OLD NEW | REV1 REV2 PATH",
            description = "Two spec files or directories; with --git two revisions and one path.")
    List<String> args;

    @Option(names = "--git", description = "Compare PATH as it is at two git revisions.")
    boolean git;

    @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Mixin
    SpecInputs specs;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = command.commandLine().getErr();
        if (args.size() != (git ? 3 : 2)) {
            err.println(git ? "avps diff --git: give REV1 REV2 PATH" : "avps diff: give OLD and NEW");
            err.flush();
            return USAGE;
        }
        Path tmp = null;
        try {
            Path before;
            Path after;
            if (git) {
                Path path = Path.of(args.get(2));
                Path repo = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
                tmp = Files.createTempDirectory("avps-diff");
                before = GitRevision.export(repo, args.get(0), path, Files.createDirectories(tmp.resolve("old")));
                after = GitRevision.export(repo, args.get(1), path, Files.createDirectories(tmp.resolve("new")));
            } else {
                before = Path.of(args.get(0));
                after = Path.of(args.get(1));
            }
            SpecLoader loader = SpecLoader.create();
            SpecLoader.Result a = loader.load(List.of(before), specs.library);
            SpecLoader.Result b = loader.load(List.of(after), specs.library);
            if (a.hasErrors() || b.hasErrors()) {
                specs.print(a.hasErrors() ? a.diagnostics() : b.diagnostics(), err);
                err.println("avps diff: " + (a.hasErrors() ? "OLD" : "NEW") + " does not load");
                err.flush();
                return USAGE;
            }
            List<Change> changes = SpecDiff.of(a.model(), b.model());
            PrintWriter out = command.commandLine().getOut();
            out.print(format == Format.json ? DiffReport.json(changes) + "\n" : DiffReport.text(changes));
            out.flush();
            return DiffReport.breaking(changes) ? BREAKING : 0;
        } catch (IOException e) {
            err.println("avps diff: " + e.getMessage());
            err.flush();
            return USAGE;
        } finally {
            if (tmp != null) {
                try (Stream<Path> s = Files.walk(tmp)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
