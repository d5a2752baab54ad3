package dev.avps.dsl.ide;

import java.util.Arrays;
import org.eclipse.lsp4j.Position;

/**
 * Lines as LSP 3.17 counts them: a line ends at "\n", "\r\n" or a lone "\r". Xtext counts only
 * "\n" (its node model and its Document), which is right for {@code avps check} (see
 * {@code dev.avps.dsl.load.Locations}) but puts every position after a lone CR one line too high
 * for an editor that follows the protocol. Characters are UTF-16 units, as in the protocol.
 */
final class LspLines {

    private final int[] lineStarts;
    private final int length;

    LspLines(CharSequence text) {
        int[] starts = new int[16];
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean end = c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n');
            if (end) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        lineStarts = Arrays.copyOf(starts, n);
        length = text.length();
    }

    /** Whether the text has a CR that is no part of a CR LF: only then do Xtext's lines differ. */
    static boolean hasLoneCr(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                return true;
            }
        }
        return false;
    }

    /** The position of an offset, clamped to the text. */
    Position position(int offset) {
        int o = Math.max(0, Math.min(offset, length));
        int k = Arrays.binarySearch(lineStarts, o);
        int line = k >= 0 ? k : -k - 2;
        return new Position(line, o - lineStarts[line]);
    }

    /**
     * The offset of a position, or -1 when it lies outside the text. A character past the end of
     * its line's content is taken as the line's end, as the protocol asks.
     */
    int offset(Position p, CharSequence text) {
        if (p.getLine() < 0 || p.getCharacter() < 0 || p.getLine() >= lineStarts.length) {
            return -1;
        }
        int start = lineStarts[p.getLine()];
        int next = p.getLine() + 1 < lineStarts.length ? lineStarts[p.getLine() + 1] : length;
        int contentEnd = next;
        if (p.getLine() + 1 < lineStarts.length) {
            contentEnd--; // the line break itself
            if (contentEnd > start && text.charAt(contentEnd) == '\n' && text.charAt(contentEnd - 1) == '\r') {
                contentEnd--;
            }
        }
        return Math.min(start + p.getCharacter(), contentEnd);
    }
}
