package dev.avps.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `avps check`: parse, link and validate specs; exit 1 when any has an error. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate .avps files (directories are searched recursively).")
final class CheckCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Spec files or directories.")
    List<Path> inputs;

    @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Mixin
    SpecInputs specs;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        SpecLoader.Result result = specs.load(inputs);
        PrintWriter out = command.commandLine().getOut();
        List<SpecDiagnostic> shown = result.diagnostics().stream()
                .filter(d -> !specs.noWarnings || d.severity() == SpecDiagnostic.Severity.ERROR).toList();
        if (format == Format.json) {
            out.println(json(shown));
            out.flush();
        } else {
            specs.print(shown, out);
            long errors = shown.stream().filter(d -> d.severity() == SpecDiagnostic.Severity.ERROR).count();
            long warnings = shown.size() - errors;
            PrintWriter err = command.commandLine().getErr();
            err.println(result.files() + " file(s) checked: " + errors + " error(s), " + warnings + " warning(s)");
            err.flush();
        }
        return specs.status(result, command.commandLine().getErr());
    }

    static String json(List<SpecDiagnostic> diagnostics) {
        JsonArray arr = new JsonArray();
        for (SpecDiagnostic d : diagnostics) {
            JsonObject o = new JsonObject();
            o.addProperty("file", d.file());
            o.addProperty("line", d.line());
            o.addProperty("column", d.column());
            o.addProperty("severity", d.severity().label());
            o.addProperty("message", d.message());
            o.addProperty("code", d.code());
            // The same single line the text format prints, for tools that want the classic form.
            o.addProperty("text", d.toString());
            arr.add(o);
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(arr);
    }
}
