package dev.avps.dsl.ide;

import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.ServerLauncher;
import org.eclipse.xtext.ide.server.ServerModule;
import org.eclipse.xtext.util.Modules2;

/**
 * Entry point of the language server jar: LSP over stdin/stdout. Xtext's launcher finds the
 * language through its ISetup service registration; we add a server that tolerates clients
 * without a root URI.
 */
public final class AvpsLanguageServer {

    private AvpsLanguageServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerLauncher.launch(AvpsLanguageServer.class.getName(), args, Modules2.mixin(new ServerModule(),
                binder -> binder.bind(LanguageServerImpl.class).to(AvpsLanguageServerImpl.class)));
    }
}
