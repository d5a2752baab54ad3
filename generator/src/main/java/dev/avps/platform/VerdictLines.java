package dev.avps.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict lines a guest probe or a host check prints, read back:
 * {@code AVPS-VERDICT <TAB> id <TAB> pass|fail|skip <TAB> detail}. Lines without the tag (a serial
 * console's boot messages around the probe's output) are ignored; the tag may follow other text
 * on its line, as a console can join two writers' output. A line with the tag but not the form is
 * an error naming its line, never silently dropped.
 */
public final class VerdictLines {

    public static final String TAG = dev.avps.model.Verdict.TAG + "\t";

    /** One verdict, with where it came from ({@code source} the file's name, {@code line} 1-based). */
    public record Verdict(String id, dev.avps.model.Verdict.Outcome outcome, String detail, String source, int line) {
    }

    /** A verdict line that does not have the form: {@code file:line: reason}. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private VerdictLines() {
    }

    public static List<Verdict> parse(String source, String text) throws MalformedException {
        List<Verdict> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replace("\r", "");
            int at = line.indexOf(TAG);
            if (at < 0) {
                continue;
            }
            dev.avps.model.Verdict v;
            try {
                v = dev.avps.model.Verdict.ofFields(line.substring(at + TAG.length()));
            } catch (IllegalArgumentException e) {
                throw new MalformedException(source + ":" + (i + 1) + ": " + e.getMessage() + ": "
                        + line.substring(at).replace('\t', ' '));
            }
            out.add(new Verdict(v.id(), v.outcome(), v.detail(), source, i + 1));
        }
        return out;
    }
}
