package dev.avps.dsl.load;

import java.util.Arrays;

/**
 * Line and column of an offset the way editors and compilers count them: a line ends at LF or at
 * CR LF; a lone CR is an ordinary character (as in the lexer, whose terminals never treat it as
 * a line end), so a stray CR in a file cannot shift every later finding by a line. Built once
 * per file, so each lookup is a binary search however many findings the file has.
 */
public final class Locations {

    private final int[] lineStarts;
    private final int length;

    public Locations(CharSequence text) {
        int[] starts = new int[16];
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
        this.length = text.length();
    }

    /** 1-based {line, column} of a 0-based offset; the column counts UTF-16 units. */
    public int[] lineAndColumn(int offset) {
        int o = Math.max(0, Math.min(offset, length));
        int k = Arrays.binarySearch(lineStarts, o);
        int line = k >= 0 ? k : -k - 2;
        return new int[] {line + 1, o - lineStarts[line] + 1};
    }
}
