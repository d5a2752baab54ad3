package dev.avps.dsl.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.diagnostics.AbstractDiagnostic;
import org.eclipse.xtext.linking.lazy.LazyLinkingResource;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.parser.IParseResult;

/**
 * The resource every .avps file loads into (CLI, Maven plugin, language server, tests). It runs
 * {@link NestingGuard} before the parser: a file that nests deeper than the stated limit is not
 * parsed at all and carries one error at the place it first goes too deep. Everything downstream
 * (linker, validators, layout, generators) then only ever sees trees of bounded depth, so no
 * recursive walk can overflow the stack or take quadratic time on a pathological chain.
 */
public class AvpsResource extends LazyLinkingResource {

    @Override
    protected void doLoad(InputStream in, Map<?, ?> options) throws IOException {
        setEncodingFromOptions(options);
        String text = readAll(createReader(in));
        NestingGuard.Violation tooDeep = NestingGuard.check(text);
        IParseResult result = getParser().parse(new StringReader(tooDeep == null ? text : ""));
        updateInternalState(internalGetParseResult(), result);
        if (tooDeep != null) {
            // The empty parse left a "missing package" syntax error; the real reason replaces it.
            getErrors().clear();
            getErrors().add(new GuardDiagnostic(tooDeep, getURI()));
        }
    }

    /**
     * Incremental reparsing would hand the parser a region the guard never saw; a spec file is
     * small enough that parsing it whole on every change costs little.
     */
    @Override
    public void update(int offset, int replacedTextLength, String newText) {
        String old = internalGetParseResult() == null ? "" : internalGetParseResult().getRootNode().getText();
        String updated = old.substring(0, offset) + newText + old.substring(offset + replacedTextLength);
        try {
            reparse(updated);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readAll(Reader r) throws IOException {
        StringBuilder b = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = r.read(buf)) > 0;) {
            b.append(buf, 0, n);
        }
        return b.toString();
    }

    /** A positioned error found before parsing; it carries an issue code like the validator's. */
    static final class GuardDiagnostic extends AbstractDiagnostic {

        private final NestingGuard.Violation violation;
        private final URI uri;

        GuardDiagnostic(NestingGuard.Violation violation, URI uri) {
            this.violation = violation;
            this.uri = uri;
        }

        @Override
        protected INode getNode() {
            return null;
        }

        @Override
        public String getCode() {
            return violation.code();
        }

        @Override
        public String[] getData() {
            return new String[0];
        }

        @Override
        public String getMessage() {
            return violation.message();
        }

        @Override
        public int getOffset() {
            return violation.offset();
        }

        @Override
        public int getLength() {
            return 1;
        }

        @Override
        public int getLine() {
            return violation.line();
        }

        @Override
        public int getColumn() {
            return violation.column();
        }

        @Override
        public int getLineEnd() {
            return violation.line();
        }

        @Override
        public int getColumnEnd() {
            return violation.column() + 1;
        }

        @Override
        public String getLocation() {
            return uri == null ? null : uri.toString();
        }

        @Override
        public URI getUriToProblem() {
            return uri;
        }
    }
}
