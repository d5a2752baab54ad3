package dev.avps.dsl.ide.rpc;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Map;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethodProvider;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * LSP4J's launcher with our input side: {@link FramedMessageProducer} instead of its stream
 * reader, and one-line error answers instead of stack traces. Output, dispatch and validation stay
 * LSP4J's.
 */
public final class AvpsLauncher {

    private AvpsLauncher() {
    }

    public static Launcher<LanguageClient> create(Object server, InputStream in, OutputStream out, boolean validate,
            PrintWriter trace) {
        Builder b = new Builder(server);
        b.setLocalService(server).setRemoteInterface(LanguageClient.class).setInput(in).setOutput(out)
                .validateMessages(validate).setExceptionHandler(ResponseErrors::of);
        if (trace != null) {
            b.traceMessages(trace);
        }
        return b.create();
    }

    private static final class Builder extends Launcher.Builder<LanguageClient> {
        private final Object server;
        private MessageJsonHandler json;
        private RemoteEndpoint endpoint;
        private MessageConsumer unchecked;

        Builder(Object server) {
            this.server = server;
        }

        /**
         * As LSP4J builds it, but keeping the unvalidated output: an error answer to a message
         * whose id could not be read has the null id JSON-RPC asks for, which LSP4J's outgoing
         * validation rejects. Sharing the one output consumer keeps its writes from interleaving.
         */
        @Override
        protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
            json = jsonHandler;
            unchecked = new StreamMessageConsumer(output, jsonHandler);
            endpoint = new RemoteEndpoint(wrapMessageConsumer(unchecked), ServiceEndpoints.toEndpoint(localServices),
                    exceptionHandler);
            jsonHandler.setMethodProvider(endpoint);
            endpoint.setJsonHandler(jsonHandler);
            return endpoint;
        }

        @Override
        protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer lsp4jReader,
                MessageConsumer consumer, LanguageClient remoteProxy) {
            // Only the server's own methods count as known; the JSON handler also knows the client's.
            Map<String, JsonRpcMethod> local = server instanceof JsonRpcMethodProvider p ? p.supportedMethods()
                    : ServiceEndpoints.getSupportedMethods(server.getClass());
            return new ConcurrentMessageProcessor(new FramedMessageProducer(input, json, endpoint, unchecked, local), consumer);
        }
    }
}
