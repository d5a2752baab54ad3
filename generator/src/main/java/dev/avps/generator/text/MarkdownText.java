package dev.avps.generator.text;

/** Markdown escaping for table cells and inline code. */
public final class MarkdownText {

    private MarkdownText() {
    }

    /** Text for a table cell: a pipe ends the cell and a newline the row; markup characters are escaped. */
    public static String cell(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
                .replace("<", "&lt;").replace("`", "\\`").replaceAll("\\s*\\n\\s*", " ");
    }

    /** Inline code; a backtick inside needs a longer fence. */
    public static String code(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        String fence = s.contains("`") ? "``" : "`";
        String pad = s.contains("`") ? " " : "";
        return fence + pad + s.replace("|", "\\|") + pad + fence;
    }
}
