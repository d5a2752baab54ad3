package dev.avps.dsl.ide;

import com.google.inject.Inject;
import dev.avps.dsl.ide.rpc.ServerLog;
import dev.avps.dsl.validation.IssueCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.build.IncrementalBuilder;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.resource.IResourceDescription;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.Issue;

/**
 * Keeps oversized files on disk out of the workspace build. The initial build (and every later
 * one for files changed on disk) would parse each .avps file of the workspace whole, and a 10 MB
 * file costs tens of seconds and gigabytes, as a 10 MB didOpen did before
 * {@link DocumentSizeGuard}. A file whose size on disk exceeds {@link DocumentSizeGuard#MAX_CHARS}
 * bytes is not read at all (its size comes from the file system): it is left out of the build,
 * dropped from the index if it was in it, and gets one diagnostic saying why. A UTF-8 file has at
 * least as many bytes as characters, so no file within the editor limit is refused here. A file
 * open in an editor is built from the editor's text, which the size guard has checked already.
 */
public class AvpsProjectManager extends ProjectManager {

    @Inject
    private OversizedFiles oversized;

    @Override
    public IncrementalBuilder.Result doBuild(List<URI> dirtyFiles, List<URI> deletedFiles,
            List<IResourceDescription.Delta> externalDeltas, CancelIndicator cancelIndicator) {
        List<URI> dirty = new ArrayList<>(dirtyFiles.size());
        List<URI> deleted = new ArrayList<>(deletedFiles);
        List<URI> refused = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (URI uri : dirtyFiles) {
            long size = sizeOnDisk(uri);
            if (size > DocumentSizeGuard.MAX_CHARS) {
                oversized.skip(uri);
                refused.add(uri);
                sizes.add(size);
                if (getIndexState() != null && getIndexState().getResourceDescriptions().getResourceDescription(uri) != null) {
                    deleted.add(uri); // grew past the limit since it was indexed
                }
            } else {
                oversized.admit(uri);
                dirty.add(uri);
            }
        }
        IncrementalBuilder.Result result = super.doBuild(dirty, deleted, externalDeltas, cancelIndicator);
        // After the build, so that nothing the build publishes for a dropped file replaces the reason.
        for (int i = 0; i < refused.size(); i++) {
            refuse(refused.get(i), sizes.get(i));
        }
        return result;
    }

    /** The file's size in bytes, or -1 when it is open in an editor, not a local file, or unreadable. */
    private long sizeOnDisk(URI uri) {
        if (!uri.isFile() || getOpenedDocumentsContentProvider() != null
                && getOpenedDocumentsContentProvider().hasContent(uri)) {
            return -1;
        }
        try {
            Path p = Paths.get(uri.toFileString());
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // the build reports a file it cannot read
        }
    }

    private void refuse(URI uri, long size) {
        String message = "file too large: " + size + " bytes, limit " + DocumentSizeGuard.MAX_CHARS
                + "; the AVPS language server does not check, complete or navigate it";
        Issue.IssueImpl issue = new Issue.IssueImpl();
        issue.setMessage(message);
        issue.setSeverity(Severity.ERROR);
        issue.setCode(IssueCodes.FILE_TOO_LARGE);
        issue.setUriToProblem(uri);
        issue.setOffset(0);
        issue.setLength(0);
        issue.setLineNumber(1);
        issue.setColumn(1);
        issue.setLineNumberEnd(1);
        issue.setColumnEnd(1);
        getIssueAcceptor().apply(uri, List.of(issue));
        ServerLog.line(uri.toFileString() + ": " + message);
    }
}
