package dev.avps.dsl.ide.rpc;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Turns a failed request handler into its JSON-RPC error. LSP4J's default answers with the whole
 * stack trace as error data and logs it; here the answer and the log are one line each.
 */
final class ResponseErrors {

    private ResponseErrors() {
    }

    static ResponseError of(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ResponseErrorException e) {
            return e.getResponseError();
        }
        if (t instanceof UnsupportedOperationException) {
            // Xtext's placeholders for features it does not offer (notebooks, on-type formatting).
            return new ResponseError(ResponseErrorCode.MethodNotFound, "not supported by the AVPS language server", null);
        }
        ServerLog.failure("request failed", t);
        return new ResponseError(ResponseErrorCode.InternalError, "internal error: " + ServerLog.describe(t), null);
    }
}
