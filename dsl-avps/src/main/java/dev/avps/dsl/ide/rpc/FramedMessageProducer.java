package dev.avps.dsl.ide.rpc;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.jsonrpc.JsonRpcException;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.MessageIssue;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Replaces LSP4J's StreamMessageProducer, which after one body not consumed exactly glued every
 * later message to it and never answered again. Frames come from {@link FrameReader}; each body's
 * envelope is checked before LSP4J parses it, so every failure gets the JSON-RPC answer it
 * deserves: -32700 for text that is not JSON (or nested too deep), -32600 for a message that is
 * not a request (bad id, jsonrpc, length), -32601 for an unknown method, -32602 for params that
 * are missing or do not fit the method. Notifications get no answer; their problems are logged.
 * A framing error no request can be matched to is logged and sent to the client as
 * window/logMessage.
 */
final class FramedMessageProducer implements MessageProducer, Closeable {

    private final FrameReader reader;
    private final MessageJsonHandler json;
    private final RemoteEndpoint endpoint;
    private final MessageConsumer answers;
    private final Map<String, JsonRpcMethod> localMethods;
    private volatile boolean running;

    /**
     * @param endpoint dispatches parsed messages and sends notifications to the client
     * @param answers the output, unvalidated, for error answers (which may carry a null id)
     */
    FramedMessageProducer(InputStream in, MessageJsonHandler json, RemoteEndpoint endpoint, MessageConsumer answers,
            Map<String, JsonRpcMethod> localMethods) {
        this.reader = new FrameReader(in);
        this.json = json;
        this.endpoint = endpoint;
        this.answers = answers;
        this.localMethods = localMethods;
    }

    @Override
    public void listen(MessageConsumer callback) {
        running = true;
        try {
            while (running) {
                Frame f = reader.next();
                try {
                    take(f, callback);
                } catch (JsonRpcException e) {
                    throw e; // the output is gone
                } catch (RuntimeException e) {
                    // Whatever one message does, the next one is still read.
                    ServerLog.failure("could not take a " + f.kind + " frame", e);
                }
            }
        } catch (IOException e) {
            if (running) {
                throw new JsonRpcException(e);
            }
        }
    }

    private void take(Frame f, MessageConsumer callback) {
        if (f.skipped > 0) {
            report("skipped " + f.skipped + " bytes to the next Content-Length header");
        }
        switch (f.kind) {
            case END -> running = false;
            case MESSAGE -> handle(f.text(), callback);
            case TOO_DEEP, BROKEN_BODY -> refuse(Envelope.read(f.text()), ResponseErrorCode.ParseError, f.problem, true);
            case LENGTH_TOO_LONG -> refuse(Envelope.read(f.text()), ResponseErrorCode.InvalidRequest, f.problem, false);
            case OVERSIZE -> oversize(f);
            case BAD_HEADER -> report(f.problem);
        }
    }

    @Override
    public void close() {
        running = false;
    }

    private void handle(String text, MessageConsumer callback) {
        Envelope env = Envelope.read(text);
        if (env.syntaxError != null) {
            refuse(env, ResponseErrorCode.ParseError, "not JSON: " + env.syntaxError, true);
            return;
        }
        String invalid = env.notObject ? "a message must be a JSON object"
                : env.idProblem != null ? env.idProblem
                : env.methodProblem != null ? env.methodProblem
                : !"2.0".equals(env.jsonrpc) ? "\"jsonrpc\" must be \"2.0\""
                : env.id == null && env.method == null ? "a message needs a method or an id" : null;
        if (invalid != null) {
            if (env.method == null && env.id != null) {
                // A broken response from the client: an error with its id would look to the client
                // like the answer to a request of its own.
                report("dropped response " + env.describe() + ": " + invalid);
            } else {
                // JSON-RPC: an id that could not be read is answered as null.
                answer(env.idProblem == null ? env.id : null, ResponseErrorCode.InvalidRequest, invalid);
            }
            return;
        }
        if (env.method != null) {
            JsonRpcMethod m = localMethods.get(env.method);
            if (m == null && !env.method.equals("$/cancelRequest")) {
                if (env.id != null) {
                    answer(env.id, ResponseErrorCode.MethodNotFound, "no method " + Printable.clip(env.method));
                } else if (!env.method.startsWith("$/")) {
                    ServerLog.line("ignored notification " + Printable.clip(env.method) + ": no such method");
                }
                return;
            }
            if (env.id != null && m != null && m.getParameterTypes().length > 0 && !env.params) {
                answer(env.id, ResponseErrorCode.InvalidParams, Printable.clip(env.method) + " needs params");
                return;
            }
        }
        Message message;
        try {
            message = json.parseMessage(text);
        } catch (MessageIssueException e) {
            // The syntax is known to be fine, so what Gson could not read is a field of the wrong type.
            forward(e.getIssues(), env);
            return;
        } catch (RuntimeException e) {
            refuse(env, ResponseErrorCode.InvalidParams, "params do not fit " + env.describe() + ": "
                    + ServerLog.describe(e), false);
            return;
        }
        try {
            callback.consume(message);
        } catch (MessageIssueException e) {
            forward(e.getIssues(), env);
        } catch (RuntimeException e) {
            ServerLog.failure("could not handle " + env.describe(), e);
        }
    }

    /** LSP4J's issues, without the Java exceptions it would send along, and with the right code. */
    private void forward(List<MessageIssue> issues, Envelope env) {
        List<MessageIssue> clean = issues.stream().map(i -> {
            boolean typeMismatch = i.getIssueCode() == ResponseErrorCode.ParseError.getValue();
            String why = i.getCause() == null ? i.getText() : ServerLog.describe(i.getCause());
            return new MessageIssue(typeMismatch ? "params do not fit " + env.describe() + ": " + why : why,
                    typeMismatch ? ResponseErrorCode.InvalidParams.getValue() : i.getIssueCode());
        }).collect(Collectors.toList());
        if (env.isRequest()) {
            answer(env.id, clean.get(0).getIssueCode(),
                    clean.stream().map(MessageIssue::getText).collect(Collectors.joining("; ")));
        } else {
            ServerLog.line("dropped " + env.describe() + ": "
                    + clean.stream().map(MessageIssue::getText).collect(Collectors.joining("; ")));
        }
    }

    /**
     * A message that could not be taken: a request is answered with its id; a notification or a
     * response only logged; a body whose id cannot be found is answered with a null id if nullIdAnswer (as
     * JSON-RPC asks for parse errors), otherwise reported.
     */
    private void refuse(Envelope env, ResponseErrorCode code, String why, boolean nullIdAnswer) {
        if (env.isRequest()) {
            answer(env.id, code, why);
        } else if (env.method != null) {
            report("dropped notification " + env.describe() + ": " + why);
        } else if (env.id != null) {
            report("dropped response " + env.describe() + ": " + why); // answering would confuse the client
        } else if (nullIdAnswer) {
            answer(null, code, why);
        } else {
            report(why);
        }
    }

    private void oversize(Frame f) {
        Envelope env = Envelope.read(f.text());
        String why = f.problem + "; skipped";
        if (env.isRequest()) {
            answer(env.id, ResponseErrorCode.InvalidRequest, why);
        } else {
            String what = env.method == null ? "a message" : Printable.clip(env.method);
            ServerLog.line(what + ": " + why);
            endpoint.notify("window/showMessage", new MessageParams(MessageType.Error,
                    "AVPS language server: " + what + " skipped: " + FrameReader.shown(f.declared) + " bytes, over its limit of "
                            + FrameReader.MAX_BODY + " bytes per message"));
        }
    }

    private void answer(Either<String, Number> id, ResponseErrorCode code, String why) {
        answer(id, code.getValue(), why);
    }

    private void answer(Either<String, Number> id, int code, String why) {
        ServerLog.line("answered " + (id == null ? "null id" : "id " + Printable.clip(String.valueOf(id.get())))
                + " with " + code + ": " + why);
        ResponseMessage error = new ResponseMessage();
        error.setJsonrpc("2.0");
        error.setRawId(id);
        error.setError(new ResponseError(code, why, null));
        answers.consume(error);
    }

    /** A framing problem with no request to answer: stderr, and the client's log. */
    private void report(String why) {
        ServerLog.line("framing: " + why);
        endpoint.notify("window/logMessage", new MessageParams(MessageType.Error, "AVPS language server: " + why));
    }
}
