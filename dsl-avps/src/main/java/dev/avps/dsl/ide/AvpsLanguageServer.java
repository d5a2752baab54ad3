package dev.avps.dsl.ide;

import org.eclipse.xtext.ide.server.ServerLauncher;

/**
 * Entry point of the language server jar: LSP over stdin/stdout. Xtext's launcher finds the
 * language through its ISetup service registration; this class only gives the jar a main of
 * our own, so clients need not know Xtext's class names.
 */
public final class AvpsLanguageServer {

    private AvpsLanguageServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerLauncher.main(args);
    }
}
