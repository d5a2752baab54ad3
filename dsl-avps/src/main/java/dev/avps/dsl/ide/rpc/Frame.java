package dev.avps.dsl.ide.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One unit the {@link FrameReader} cut from the input: a message body, or the reason no body could
 * be cut, together with how many bytes had to be skipped to find its header.
 */
final class Frame {

    enum Kind {
        /** A body of exactly the declared length that is one JSON text. */
        MESSAGE,
        /** Exactly the declared length, but nested deeper than {@link FrameReader#MAX_DEPTH}. */
        TOO_DEEP,
        /** The JSON text ended before the declared length and the next header followed. */
        LENGTH_TOO_LONG,
        /** The declared bytes are not one JSON text (cut short, or a foreign byte inside). */
        BROKEN_BODY,
        /** A body over {@link FrameReader#MAX_BODY}, skipped; only its start is kept. */
        OVERSIZE,
        /** The header block was not usable (bad, missing or conflicting Content-Length...). */
        BAD_HEADER,
        /** End of input. */
        END
    }

    final Kind kind;
    final byte[] body;
    final long declared;
    final String problem;
    final long skipped;

    Frame(Kind kind, byte[] body, long declared, String problem, long skipped) {
        this.kind = kind;
        this.body = body;
        this.declared = declared;
        this.problem = problem;
        this.skipped = skipped;
    }

    /** The kept body bytes as text; LSP bodies are UTF-8 (the only charset the spec allows). */
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return kind + (problem == null ? "" : ": " + problem) + " " + Arrays.toString(Arrays.copyOf(body, Math.min(body.length, 16)));
    }
}
