package dev.avps.dsl.ide;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.xtext.ide.server.LanguageServerImpl;

/**
 * Xtext's server takes its workspace from the deprecated rootUri/rootPath; newer clients may
 * send only workspace folders, and a single-file client sends neither. Without a root Xtext fails
 * `initialize` with an internal error, so fall back to the first folder, then the working
 * directory.
 */
public class AvpsLanguageServerImpl extends LanguageServerImpl {

    @Override
    protected URI getBaseDir(InitializeParams params) {
        if (params.getRootUri() != null || params.getRootPath() != null) {
            return super.getBaseDir(params);
        }
        List<WorkspaceFolder> folders = params.getWorkspaceFolders();
        if (folders != null && !folders.isEmpty() && folders.get(0).getUri() != null) {
            params.setRootUri(folders.get(0).getUri());
        } else {
            params.setRootUri(Path.of("").toAbsolutePath().toUri().toString());
        }
        return super.getBaseDir(params);
    }
}
