package dev.avps.dsl.ide.rpc;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * The JSON-RPC envelope of a body (jsonrpc, id, method, whether params are there), read with
 * Gson's streaming reader in strict mode; everything else is skipped, which also checks the
 * syntax. Works on a cut-off prefix too: fields before the cut are still found, so an answer to an
 * over-long or broken request can carry its id.
 */
final class Envelope {

    String jsonrpc;
    Either<String, Number> id;
    String idProblem;
    String method;
    String methodProblem;
    boolean params;
    boolean notObject;
    String syntaxError;

    static Envelope read(String text) {
        Envelope e = new Envelope();
        JsonReader r = new JsonReader(new StringReader(text));
        r.setStrictness(Strictness.STRICT);
        try {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                e.notObject = true;
                r.skipValue();
            } else {
                r.beginObject();
                while (r.hasNext()) {
                    e.member(r.nextName(), r);
                }
                r.endObject();
            }
            if (r.peek() != JsonToken.END_DOCUMENT) {
                e.syntaxError = "more text after the JSON value";
            }
        } catch (IOException | RuntimeException ex) {
            e.syntaxError = Printable.firstLine(ex.getMessage());
        }
        return e;
    }

    private void member(String name, JsonReader r) throws IOException {
        JsonToken t = r.peek();
        switch (name) {
            case "jsonrpc" -> jsonrpc = t == JsonToken.STRING ? r.nextString() : skip(r, "?");
            case "id" -> {
                if (t == JsonToken.STRING) {
                    id = Either.forLeft(r.nextString());
                } else if (t == JsonToken.NUMBER) {
                    String n = r.nextString();
                    try {
                        id = Either.forRight(Integer.parseInt(n));
                    } catch (NumberFormatException notInt) {
                        idProblem = "id " + Printable.clip(n) + " is not a 32-bit integer";
                    }
                } else {
                    idProblem = skip(r, "id must be a string or an integer, not " + t);
                }
            }
            case "method" -> {
                if (t == JsonToken.STRING) {
                    method = r.nextString();
                } else {
                    methodProblem = skip(r, "method must be a string, not " + t);
                }
            }
            case "params" -> {
                params = t != JsonToken.NULL;
                r.skipValue();
            }
            default -> r.skipValue();
        }
    }

    private static String skip(JsonReader r, String result) throws IOException {
        r.skipValue();
        return result;
    }

    /** A request: it has both, and so expects an answer. */
    boolean isRequest() {
        return id != null && method != null;
    }

    String describe() {
        return (method == null ? "message" : Printable.clip(method)) + (id == null ? "" : " (id " + Printable.clip(String.valueOf(id.get())) + ")");
    }
}
