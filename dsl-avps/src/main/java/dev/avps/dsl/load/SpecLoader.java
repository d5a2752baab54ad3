package dev.avps.dsl.load;

import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Provider;
import dev.avps.dsl.AvpsStandaloneSetup;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.semantic.SemanticModelBuilder;
import dev.avps.dsl.validation.IssueCodes;
import dev.avps.model.SpecModel;
import dev.avps.dsl.scoping.Prelude;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.eclipse.xtext.resource.XtextResource;
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

    /** The resource set of {@link #checkText}, with the prelude loaded once. */
    private XtextResourceSet scratch;
    private long scratchCount;

    /** A loader on a fresh standalone injector (one per process is enough: creating it costs about a second). */
    public static SpecLoader create() {
        Injector injector = new AvpsStandaloneSetup().createInjectorAndDoEMFRegistration();
        return injector.getInstance(SpecLoader.class);
    }

    /** What a load produced; {@code model} is present only when there were no errors. */
    /**
     * What a load produced; {@code model} is present only when there were no errors.
     * {@code internalErrors} are our own failures (each also reported as a finding with code
     * {@link IssueCodes#INTERNAL}), kept for a caller that was asked to show their stack traces;
     * {@code files} counts the spec files checked, including those that could not be parsed.
     */
    public record Result(List<SpecDiagnostic> diagnostics, SpecModel model, List<Model> roots,
            List<Throwable> internalErrors, int files) {

        public Result(List<SpecDiagnostic> diagnostics, SpecModel model, List<Model> roots,
                List<Throwable> internalErrors) {
            this(diagnostics, model, roots, internalErrors, roots.size());
        }

        public Result(List<SpecDiagnostic> diagnostics, SpecModel model, List<Model> roots) {
            this(diagnostics, model, roots, List.of());
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(d -> d.severity() == SpecDiagnostic.Severity.ERROR);
        }

        /** Whether any finding is a bug of ours rather than a problem of the spec. */
        public boolean hasInternalErrors() {
            return diagnostics.stream().anyMatch(d -> IssueCodes.INTERNAL.equals(d.code()));
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
                try {
                    files.addAll(specsUnder(input));
                } catch (UncheckedIOException e) {
                    diagnostics.add(new SpecDiagnostic(input.toString(), 1, 1, SpecDiagnostic.Severity.ERROR,
                            "cannot list: " + e.getCause().getMessage(), "dev.avps.io"));
                }
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
        List<Throwable> internal = new ArrayList<>();
        for (Path f : files.stream().distinct().toList()) {
            Resource r = loadOne(rs, f, f.toString(), diagnostics, internal);
            if (r != null) {
                own.add(r);
                shown.add(f.toString());
            }
        }
        for (Path lib : library) {
            for (Path f : Files.isDirectory(lib) ? specsUnder(lib) : List.of(lib)) {
                loadOne(rs, f, f.toString(), diagnostics, internal);
            }
        }
        List<Model> roots = new ArrayList<>();
        for (int i = 0; i < own.size(); i++) {
            Resource r = own.get(i);
            // One file's failure must not hide the findings of the others: each is validated alone.
            try {
                List<Issue> issues = validator.validate(r, CheckMode.ALL, CancelIndicator.NullImpl);
                Locations where = locations(r);
                for (Issue issue : issues) {
                    diagnostics.add(toDiagnostic(shown.get(i), issue, where));
                }
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                internal.add(e);
                diagnostics.add(internalError(shown.get(i), "checking", e));
            }
            if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
                roots.add(m);
            }
        }
        diagnostics.sort(null);
        SpecModel model = null;
        boolean errors = diagnostics.stream().anyMatch(d -> d.severity() == SpecDiagnostic.Severity.ERROR);
        if (!errors) {
            try {
                model = new SemanticModelBuilder(documentation::getDocumentation).build(roots);
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                internal.add(e);
                diagnostics.add(internalError(shown.isEmpty() ? "avps" : shown.get(0), "building the model of", e));
            }
        }
        // Files count whether or not they parsed: one rejected before parsing was still checked.
        return new Result(List.copyOf(diagnostics), model, roots, List.copyOf(internal),
                (int) files.stream().distinct().count());
    }

    /** Loads one file; a failure becomes a finding on that file, never an exception. */
    private static Resource loadOne(XtextResourceSet rs, Path f, String shown, List<SpecDiagnostic> diagnostics,
            List<Throwable> internal) {
        try {
            return rs.getResource(uri(f), true);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IOException io) {
                diagnostics.add(new SpecDiagnostic(shown, 1, 1, SpecDiagnostic.Severity.ERROR,
                        "cannot read: " + io.getMessage(), "dev.avps.io"));
            } else {
                internal.add(e);
                diagnostics.add(internalError(shown, "loading", e));
            }
        } catch (StackOverflowError | LinkageError e) {
            internal.add(e);
            diagnostics.add(internalError(shown, "loading", e));
        }
        // A resource that failed half-way may still sit in the set; it must not resolve references.
        rs.getResources().removeIf(r -> r.getURI().equals(uri(f)) && r.getContents().isEmpty());
        return null;
    }

    private static SpecDiagnostic internalError(String file, String doing, Throwable e) {
        return new SpecDiagnostic(file, 1, 1, SpecDiagnostic.Severity.ERROR, "internal error while " + doing
                + " this file: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + " (a bug in avps; please report it)", IssueCodes.INTERNAL);
    }

    /**
     * Checks one spec given as text, as {@link #load} would check a file of that content alone
     * (same parse, validation, diagnostics and model), but in a resource set this loader keeps,
     * so the prelude is parsed once however many texts are checked: the entry point of the spec
     * fuzzer. Not thread-safe; use one loader per thread.
     */
    public Result checkText(String shown, String text) {
        if (scratch == null) {
            scratch = resourceSets.get();
            Prelude.load(scratch);
        }
        Resource r = scratch.createResource(URI.createURI("memory:/scratch/" + (scratchCount++) + EXTENSION));
        List<SpecDiagnostic> diagnostics = new ArrayList<>();
        List<Throwable> internal = new ArrayList<>();
        List<Model> roots = new ArrayList<>();
        SpecModel model = null;
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), scratch.getLoadOptions());
            List<Issue> issues = validator.validate(r, CheckMode.ALL, CancelIndicator.NullImpl);
            Locations where = locations(r);
            for (Issue issue : issues) {
                diagnostics.add(toDiagnostic(shown, issue, where));
            }
            if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
                roots.add(m);
            }
            if (diagnostics.stream().noneMatch(d -> d.severity() == SpecDiagnostic.Severity.ERROR)) {
                model = new SemanticModelBuilder(documentation::getDocumentation).build(roots);
            }
        } catch (IOException | RuntimeException | StackOverflowError | LinkageError e) {
            internal.add(e);
            diagnostics.add(internalError(shown, "checking", e));
        } finally {
            r.unload();
            scratch.getResources().remove(r);
        }
        diagnostics.sort(null);
        return new Result(List.copyOf(diagnostics), model, roots, List.copyOf(internal), 1);
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

    private static Locations locations(Resource r) {
        return r instanceof XtextResource x && x.getParseResult() != null && x.getParseResult().getRootNode() != null
                ? new Locations(x.getParseResult().getRootNode().getText()) : null;
    }

    private static SpecDiagnostic toDiagnostic(String file, Issue issue, Locations where) {
        SpecDiagnostic.Severity sev = switch (issue.getSeverity() == null ? Severity.ERROR : issue.getSeverity()) {
            case ERROR -> SpecDiagnostic.Severity.ERROR;
            case WARNING -> SpecDiagnostic.Severity.WARNING;
            default -> SpecDiagnostic.Severity.INFO;
        };
        int line = issue.getLineNumber() == null ? 1 : issue.getLineNumber();
        int col = issue.getColumn() == null ? 1 : issue.getColumn();
        // Recounted from the offset: a lone CR must not count as a line end (see Locations).
        if (where != null && issue.getOffset() != null && issue.getOffset() >= 0
                && !IssueCodes.NESTING_TOO_DEEP.equals(issue.getCode())
                && !IssueCodes.FILE_TOO_LARGE.equals(issue.getCode())) {
            int[] lc = where.lineAndColumn(issue.getOffset());
            line = lc[0];
            col = lc[1];
        }
        return new SpecDiagnostic(file, line, col, sev, issue.getMessage(), issue.getCode());
    }
}
