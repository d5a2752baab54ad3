package dev.avps.generator.text;

/** LaTeX escaping: spec prose and identifiers contain _, %, &, # and friends that LaTeX would interpret. */
public final class LatexText {

    private LatexText() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\textbackslash{}");
                case '{', '}', '$', '&', '#', '_', '%' -> b.append('\\').append(c);
                case '~' -> b.append("\\textasciitilde{}");
                case '^' -> b.append("\\textasciicircum{}");
                case '<' -> b.append("\\textless{}");
                case '>' -> b.append("\\textgreater{}");
                case '|' -> b.append("\\textbar{}");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Text for a {@code \label} or {@code \ref} key: the virtio spec uses readable keys such as
     * "Device Types / Block Device / Feature bits", where only braces, backslashes and % would break.
     */
    public static String labelKey(String s) {
        return s.replaceAll("[\\\\{}%#]", "");
    }
}
