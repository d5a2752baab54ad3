package dev.avps.dsl.load;

import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Provider;
import dev.avps.dsl.AvpsStandaloneSetup;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.semantic.SemanticModelBuilder;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;

/**
 * Loads .avps files outside any IDE: parse, link, validate, and build the semantic model. The
 * entry point of the CLI, the Maven plugin and the tests.
 *
 * <p>All files are loaded into one resource set before anything is validated, so references and
 * duplicate checks see every file the caller named, in any order.
 */
public final class SpecLoader {

    public static final String EXTENSION = ".avps";

    @Inject
    private Provider<XtextResourceSet> resourceSets;

    @Inject
    private IResourceValidator validator;

    @Inject
    private IEObjectDocumentationProvider documentation;

    /** A loader on a fresh standalone injector (one per process is enough: creating it costs about a second). */
    public static SpecLoader create() {
        Injector injector = new AvpsStandaloneSetup().createInjectorAndDoEMFRegistration();
        return injector.getInstance(SpecLoader.class);
    }

    /** What a load produced; {@code model} is present only when there were no errors. */
    public record Result(List<SpecDiagnostic> diagnostics, SpecModel model, List<Model> roots) {

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(d -> d.severity() == SpecDiagnostic.Severity.ERROR);
        }
    }

    /**
     * Loads every file named, and every .avps file below each directory named.
     *
     * @param inputs  files and directories as the user gave them (shown that way in diagnostics)
     * @param library further spec files (e.g. a shipped catalog) that resolve imports but are not
     *                validated or reported on
     */
    public Result load(Collection<Path> inputs, Collection<Path> library) {
        List<SpecDiagnostic> diagnostics = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                files.addAll(specsUnder(input));
            } else if (!Files.isRegularFile(input)) {
                diagnostics.add(new SpecDiagnostic(input.toString(), 1, 1, SpecDiagnostic.Severity.ERROR,
                        "no such file or directory", "dev.avps.io"));
            } else if (!input.toString().endsWith(EXTENSION)) {
                diagnostics.add(new SpecDiagnostic(input.toString(), 1, 1, SpecDiagnostic.Severity.ERROR,
                        "not a spec file: the name must end in " + EXTENSION, "dev.avps.io"));
            } else {
                files.add(input);
            }
        }
        XtextResourceSet rs = resourceSets.get();
        List<Resource> own = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (Path f : files.stream().distinct().toList()) {
            own.add(rs.getResource(uri(f), true));
            shown.add(f.toString());
        }
        for (Path lib : library) {
            for (Path f : Files.isDirectory(lib) ? specsUnder(lib) : List.of(lib)) {
                rs.getResource(uri(f), true);
            }
        }
        List<Model> roots = new ArrayList<>();
        for (int i = 0; i < own.size(); i++) {
            Resource r = own.get(i);
            for (Issue issue : validator.validate(r, CheckMode.ALL, CancelIndicator.NullImpl)) {
                diagnostics.add(toDiagnostic(shown.get(i), issue));
            }
            if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
                roots.add(m);
            }
        }
        diagnostics.sort(null);
        SpecModel model = null;
        boolean errors = diagnostics.stream().anyMatch(d -> d.severity() == SpecDiagnostic.Severity.ERROR);
        if (!errors) {
            model = new SemanticModelBuilder(documentation::getDocumentation).build(roots);
        }
        return new Result(List.copyOf(diagnostics), model, roots);
    }

    public Result load(Collection<Path> inputs) {
        return load(inputs, List.of());
    }

    private static URI uri(Path f) {
        return URI.createFileURI(f.toAbsolutePath().normalize().toString());
    }

    /** Spec files below a directory, in a stable order. */
    public static List<Path> specsUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(EXTENSION) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static SpecDiagnostic toDiagnostic(String file, Issue issue) {
        SpecDiagnostic.Severity sev = switch (issue.getSeverity() == null ? Severity.ERROR : issue.getSeverity()) {
            case ERROR -> SpecDiagnostic.Severity.ERROR;
            case WARNING -> SpecDiagnostic.Severity.WARNING;
            default -> SpecDiagnostic.Severity.INFO;
        };
        int line = issue.getLineNumber() == null ? 1 : issue.getLineNumber();
        int col = issue.getColumn() == null ? 1 : issue.getColumn();
        return new SpecDiagnostic(file, line, col, sev, issue.getMessage(), issue.getCode());
    }
}
