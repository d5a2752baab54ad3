package dev.avps.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written tokenizer splits exactly as the regex it replaced, so recorded seeds still replay. */
class SpecMutatorTest {

    private static final Pattern REFERENCE = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9A-Fa-f_]+|[0-9]+|\\s+|.", Pattern.DOTALL);
    private static final String ALPHABET = "aZ_09xXfG \t\n\u000b\f\r.;(){}\"\u00e9\u0000\u2028\uD83D\uDE00\uD800";

    @Test
    void tokensMatchTheReferenceRegexOnRandomText() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(40);
            for (int j = 0; j < len; j++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = b.toString();
            assertEquals(render(reference(s)), render(SpecMutator.tokens(s)), () -> "input: " + escape(s));
        }
    }

    @Test
    void tokensMatchTheReferenceRegexOnTheSnippets() {
        for (String s : Snippets.ALL) {
            assertEquals(render(reference(s)), render(SpecMutator.tokens(s)));
        }
    }

    private static List<int[]> reference(String s) {
        List<int[]> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(s);
        while (m.find()) {
            if (!Character.isWhitespace(s.charAt(m.start()))) {
                out.add(new int[] {m.start(), m.end()});
            }
        }
        return out;
    }

    private static String render(List<int[]> tokens) {
        StringBuilder b = new StringBuilder();
        tokens.forEach(t -> b.append(t[0]).append('-').append(t[1]).append(' '));
        return b.toString();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
        return b.toString();
    }
}
