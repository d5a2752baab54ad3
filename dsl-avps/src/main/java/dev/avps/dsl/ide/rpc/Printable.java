package dev.avps.dsl.ide.rpc;

/** Echoes of untrusted input in log lines and error messages: one line, bounded length. */
final class Printable {

    private Printable() {
    }

    /** For echoes of input inside a message: control characters escaped, at most 80 characters. */
    static String clip(String s) {
        return escape(s, 80);
    }

    /** The first line of a message (Gson's carry a second line with a link), escaped and clipped. */
    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return escape(nl < 0 ? s : s.substring(0, nl), 300);
    }

    /** Control characters escaped (so a line stays one line), clipped to max with a note of the rest. */
    static String escape(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (i < s.length()) {
            b.append("... (").append(s.length()).append(" characters)");
        }
        return b.toString();
    }
}
