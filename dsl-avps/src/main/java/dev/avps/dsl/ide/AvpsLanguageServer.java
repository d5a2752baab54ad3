package dev.avps.dsl.ide;

import com.google.inject.Guice;
import dev.avps.dsl.ide.rpc.AvpsLauncher;
import dev.avps.dsl.ide.rpc.ServerLog;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.LaunchArgs;
import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.ide.server.ServerLauncher;
import org.eclipse.xtext.ide.server.ServerModule;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.util.Modules2;

/**
 * Entry point of the language server jar: LSP over stdin/stdout. Xtext finds the language through
 * its ISetup service registration; the server tolerates clients without a root URI and refuses
 * oversized documents ({@link AvpsLanguageServerImpl}) and oversized workspace files
 * ({@link AvpsProjectManager}), counts lines as LSP does ({@link AvpsWorkspaceManager}), and the protocol runs through our own
 * framing and error answers ({@link AvpsLauncher}). Xtext's launcher options -log, -trace and
 * -noValidate keep their meaning. The process ends at end of input: status 0 if the client had
 * asked for shutdown, 1 if not.
 */
public final class AvpsLanguageServer {

    private AvpsLanguageServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        // First: this takes stdout for the protocol and sends System.out elsewhere, so nothing
        // (log4j's console appender included) can write into the LSP stream.
        LaunchArgs launch = ServerLauncher.createLaunchArgs(AvpsLanguageServer.class.getName(), args);
        ServerLog.install();
        AvpsLanguageServerImpl server = (AvpsLanguageServerImpl) Guice.createInjector(Modules2.mixin(new ServerModule(),
                binder -> {
                    binder.bind(LanguageServerImpl.class).to(AvpsLanguageServerImpl.class);
                    binder.bind(WorkspaceManager.class).to(AvpsWorkspaceManager.class);
                    binder.bind(ProjectManager.class).to(AvpsProjectManager.class);
                }))
                .getInstance(LanguageServerImpl.class);
        Launcher<LanguageClient> launcher = AvpsLauncher.create(server, launch.getIn(), launch.getOut(),
                launch.isValidate(), launch.getTrace());
        server.connect(launcher.getRemoteProxy());
        int status = 0;
        try {
            launcher.startListening().get();
        } catch (ExecutionException e) {
            ServerLog.failure("reading the input failed", e.getCause());
            status = 1;
        }
        System.exit(status == 0 && server.shutdownRequested() ? 0 : 1);
    }
}
