package dev.avps.dsl.ide.rpc;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.spi.LoggingEvent;
import org.apache.log4j.spi.ThrowableInformation;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;

/**
 * The server's stderr: one line per event, prefixed "avps-lsp:". LSP4J (java.util.logging) and
 * Xtext (log4j) would print whole stack traces for every malformed request; here a failure is its
 * exception class and message, and the trace only when asked for with the environment variable
 * AVPS_LSP_STACKTRACES=1 or the system property avps.lsp.stacktraces=true.
 */
public final class ServerLog {

    private static final PrintStream ERR = System.err;
    private static final boolean TRACES = Boolean.getBoolean("avps.lsp.stacktraces")
            || "1".equals(System.getenv("AVPS_LSP_STACKTRACES"));

    private ServerLog() {
    }

    public static void line(String text) {
        synchronized (ERR) {
            ERR.println("avps-lsp: " + Printable.escape(text, 1000));
        }
    }

    public static void failure(String what, Throwable t) {
        synchronized (ERR) {
            line(what + ": " + describe(t));
            if (TRACES) {
                t.printStackTrace(ERR);
            }
        }
    }

    static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + Printable.firstLine(t.getMessage()));
    }

    /** Routes both logging systems here; call after stdout has been taken for the protocol. */
    public static void install() {
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() < Level.WARNING.intValue()) {
                    return;
                }
                String text = format.formatMessage(r);
                if (r.getThrown() != null) {
                    failure(text, r.getThrown());
                } else {
                    line(text);
                }
            }

            @Override
            public void flush() {
                ERR.flush();
            }

            @Override
            public void close() {
            }
        });
        org.apache.log4j.Logger log4j = org.apache.log4j.Logger.getRootLogger();
        log4j.removeAllAppenders();
        log4j.setLevel(org.apache.log4j.Level.WARN);
        log4j.addAppender(new AppenderSkeleton() {
            @Override
            protected void append(LoggingEvent e) {
                ThrowableInformation ti = e.getThrowableInformation();
                String text = String.valueOf(e.getRenderedMessage());
                if (ti != null && ti.getThrowable() instanceof ResponseErrorException) {
                    return; // an answer chosen for the client (such as invalid params), not a failure
                }
                if (ti != null && ti.getThrowable() != null) {
                    failure(text, ti.getThrowable());
                } else {
                    line(text);
                }
            }

            @Override
            public boolean requiresLayout() {
                return false;
            }

            @Override
            public void close() {
            }
        });
    }
}
