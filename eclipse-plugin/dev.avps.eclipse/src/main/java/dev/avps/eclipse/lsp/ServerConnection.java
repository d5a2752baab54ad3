package dev.avps.eclipse.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The part of LSP4E's {@code StreamConnectionProvider} this plugin implements, as an interface of
 * its own so the code compiles and runs without LSP4E.
 */
public interface ServerConnection {
    /** Starts the server. */
    void start() throws IOException;

    /** The server's output (LSP messages to the client). */
    InputStream getInputStream();

    /** The server's input (LSP messages from the client). */
    OutputStream getOutputStream();

    /** The server's diagnostics output. */
    InputStream getErrorStream();

    /** Stops the server. */
    void stop();
}
