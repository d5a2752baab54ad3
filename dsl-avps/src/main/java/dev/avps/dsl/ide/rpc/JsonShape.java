package dev.avps.dsl.ide.rpc;

/**
 * Follows a message body byte by byte just far enough to tell where a JSON text ends and whether a
 * byte can belong to it at all. Framing needs this because a wrong Content-Length is only
 * visible in the body: a message that ends early is followed by the next message's header, whose
 * {@code C} cannot stand outside a JSON string and whose CR/LF cannot stand inside one.
 *
 * <p>This is a lexical check, not a parser (Gson parses later); nesting is only counted, so any
 * depth costs constant memory.
 */
final class JsonShape {

    private int depth;
    private long maxDepth;
    private boolean started;
    private boolean complete;
    private boolean inString;
    private boolean escape;
    private int hexLeft;

    /**
     * Takes the next byte; false if it cannot be part of this JSON text (or comes after its end
     * and is not whitespace), in which case the state is unchanged.
     */
    boolean accept(int b) {
        if (complete) {
            return isSpace(b);
        }
        if (inString) {
            return acceptInString(b);
        }
        switch (b) {
            case ' ', '\t', '\r', '\n':
                return true;
            case '{', '[':
                depth++;
                maxDepth = Math.max(maxDepth, depth);
                started = true;
                return true;
            case '}', ']':
                if (depth == 0) {
                    return false;
                }
                depth--;
                complete = depth == 0;
                return true;
            case '"':
                inString = started;
                return started;
            default:
                // A message is an object, so nothing may precede the first bracket; after it only
                // punctuation, numbers and the letters of true/false/null may stand outside strings.
                return started && (b == ':' || b == ',' || (b >= '0' && b <= '9') || "-+.eEtrufalsn".indexOf(b) >= 0);
        }
    }

    private boolean acceptInString(int b) {
        if (hexLeft > 0) {
            if (Character.digit(b, 16) < 0) {
                return false;
            }
            hexLeft--;
            return true;
        }
        if (escape) {
            if (b == 'u') {
                hexLeft = 4;
            } else if ("\"\\/bfnrt".indexOf(b) < 0) {
                return false;
            }
            escape = false;
            return true;
        }
        if (b == '\\') {
            escape = true;
            return true;
        }
        if (b == '"') {
            inString = false;
            return true;
        }
        // Raw control characters (CR, LF among them) are not allowed in JSON strings; bytes of
        // multi-byte UTF-8 sequences (>= 0x80) are.
        return b >= 0x20;
    }

    /** True once the outermost bracket has closed. */
    boolean complete() {
        return complete;
    }

    /** The deepest nesting seen so far. */
    long maxDepth() {
        return maxDepth;
    }

    private static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
