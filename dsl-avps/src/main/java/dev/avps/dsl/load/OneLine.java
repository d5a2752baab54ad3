package dev.avps.dsl.load;

/**
 * Makes any text safe to print as part of one {@code file:line:col: severity: message} line.
 *
 * <p>Messages echo the input (names, tokens, file names), and the input may hold anything: a
 * newline inside a quoted token would split one finding over several lines, a 1 MB identifier
 * would produce a 1 MB line, and escape sequences would drive the user's terminal. So control
 * characters (C0, DEL, C1) and Unicode line and paragraph separators are written as
 * {@code \xNN} or {@code \}{@code uNNNN}, every run of non-blank characters longer than
 * {@value #MAX_WORD} is clipped to its first {@value #KEEP} characters followed by
 * {@code ...(N chars)}, and the whole text to {@value #MAX_TEXT} characters.
 */
public final class OneLine {

    /** Longest run of non-blank characters echoed whole: longer than any sensible name. */
    public static final int MAX_WORD = 80;

    /** Characters kept of a clipped run. */
    public static final int KEEP = 40;

    /** Longest text, after escaping, of one message. */
    public static final int MAX_TEXT = 1000;

    private OneLine() {
    }

    public static String of(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT) + 16);
        int i = 0;
        int n = s.length();
        while (i < n && out.length() <= MAX_TEXT) {
            char c = s.charAt(i);
            if (c == ' ') {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < n && s.charAt(end) != ' ') {
                end++;
            }
            int len = end - i;
            if (len > MAX_WORD) {
                escape(s, i, i + KEEP, out);
                out.append("...(").append(len).append(" chars)");
            } else {
                escape(s, i, end, out);
            }
            i = end;
        }
        if (i < n || out.length() > MAX_TEXT) {
            out.setLength(Math.min(out.length(), MAX_TEXT));
            out.append("...(message clipped)");
        }
        return out.toString();
    }

    private static void escape(String s, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
                out.append(String.format("\\x%02X", (int) c));
            } else if (c == '\u2028' || c == '\u2029' || (Character.isSurrogate(c) && !validPair(s, k))) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
    }

    /** A lone surrogate would make the line invalid UTF-16 (and unprintable as UTF-8). */
    private static boolean validPair(String s, int k) {
        char c = s.charAt(k);
        if (Character.isHighSurrogate(c)) {
            return k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1));
        }
        return k > 0 && Character.isHighSurrogate(s.charAt(k - 1));
    }
}
