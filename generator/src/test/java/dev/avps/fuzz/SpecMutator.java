package dev.avps.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a valid spec into a hostile one: byte flips, token deletions and duplications, tokens
 * spliced in from elsewhere, deep nesting, huge numbers, control characters and long names. Each
 * input gets one to four mutations stacked, all drawn from one seeded generator, so a seed and an
 * input number reproduce an input exactly.
 */
final class SpecMutator {

    private static final Pattern NUMBER = Pattern.compile("\\b(0[xX][0-9A-Fa-f_]+|[0-9]+)\\b");

    private static final String[] HUGE = {"18446744073709551616", "340282366920938463463374607431768211456",
            "0xffffffffffffffffffffffffffffffff", "9223372036854775808", "4294967296", "65536", "65535", "0",
            "100000000", "99999999999999999999999999999999999999999", "1" + "0".repeat(60)};
    private static final String[] NEST_UNITS = {"(", "!", "A || ", "1 + ", "x.", "{", "[", "B && !", "1 * (", "- "};
    private static final int[] NEST_DEPTHS = {2, 50, 99, 100, 101, 150, 1000, 10_000};
    private static final String[] SPLICE = {"_", "__", "default", "class", "size", "when", "requires", "if", "else",
            "index", "count", "group", "queue", "union", "select", "case", "readable", "writable", "reserved",
            "c-name \"x y\"", "c-name \"\"", "0-1", "10/0", "BIG*BIG", "u8", "le64", "import nowhere.*;",
            "import virtio.*;", "config", "struct", "enum", "const", "device", "request", "on", "where", "\r", "\n",
            "\u0000", "\u001b[31m", "\u007f", "\u2028", "\uD800", "/*", "*/", "//", "\"", "'", "^", "..", ".*"};

    private final SplittableRandom random;

    SpecMutator(SplittableRandom random) {
        this.random = random;
    }

    String mutate(String text) {
        String out = text;
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String next = once(out);
            // Stacked duplications can reach 100 MB; past twice the file limit nothing new is tested.
            out = next.length() > 8 << 20 ? out : next;
        }
        return out;
    }

    private String once(String s) {
        List<int[]> tokens = tokens(s);
        if (tokens.isEmpty()) {
            return s + SPLICE[random.nextInt(SPLICE.length)];
        }
        int[] t = tokens.get(random.nextInt(tokens.size()));
        return switch (random.nextInt(9)) {
            case 0 -> flip(s);
            case 1 -> s.substring(0, t[0]) + s.substring(t[1]);
            case 2 -> s.substring(0, t[1]) + s.substring(t[0], t[1]) + s.substring(t[1]);
            case 3 -> duplicateSpan(s, tokens);
            case 4 -> s.substring(0, t[0]) + nesting() + s.substring(t[0]);
            case 5 -> hugeNumber(s);
            case 6 -> s.substring(0, t[0]) + SPLICE[random.nextInt(SPLICE.length)] + s.substring(t[0]);
            case 7 -> s.substring(0, t[0]) + "n".repeat(1 + random.nextInt(random.nextBoolean() ? 200 : 100_000))
                    + s.substring(t[1]);
            default -> {
                int[] u = tokens.get(random.nextInt(tokens.size()));
                yield s.substring(0, t[0]) + s.substring(u[0], u[1]) + " " + s.substring(t[0]);
            }
        };
    }

    private String flip(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int at = random.nextInt(s.length());
        char c = random.nextInt(4) == 0 ? (char) random.nextInt(0x20) : (char) (0x20 + random.nextInt(0x5F));
        return s.substring(0, at) + c + s.substring(at + 1);
    }

    private String duplicateSpan(String s, List<int[]> tokens) {
        int a = random.nextInt(tokens.size());
        int b = Math.min(tokens.size() - 1, a + random.nextInt(20));
        String span = s.substring(tokens.get(a)[0], tokens.get(b)[1]);
        int times = 1 + random.nextInt(random.nextInt(10) == 0 ? 1000 : 3);
        return s.substring(0, tokens.get(b)[1]) + span.repeat(times) + s.substring(tokens.get(b)[1]);
    }

    private String nesting() {
        String unit = NEST_UNITS[random.nextInt(NEST_UNITS.length)];
        int depth = NEST_DEPTHS[random.nextInt(NEST_DEPTHS.length)];
        StringBuilder b = new StringBuilder(unit.repeat(depth)).append('A');
        if (unit.contains("(") || unit.equals("{") || unit.equals("[")) {
            String close = unit.contains("(") ? ")" : unit.equals("{") ? "}" : "]";
            if (random.nextBoolean()) {
                b.append(close.repeat(depth));
            }
        }
        return b.toString();
    }

    private String hugeNumber(String s) {
        Matcher m = NUMBER.matcher(s);
        List<int[]> spots = new ArrayList<>();
        while (m.find()) {
            spots.add(new int[] {m.start(), m.end()});
        }
        if (spots.isEmpty()) {
            return s;
        }
        int[] at = spots.get(random.nextInt(spots.size()));
        return s.substring(0, at[0]) + HUGE[random.nextInt(HUGE.length)] + s.substring(at[1]);
    }

    /**
     * The non-blank tokens of {@code s} as [start, end) pairs: names, hex and decimal numbers, and
     * any other single code point. Scanned by hand: a regex tokenizer was the campaign's hottest
     * frame on megabyte inputs.
     */
    static List<int[]> tokens(String s) {
        List<int[]> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int end;
            if (isBlank(c)) {
                i++;
                continue;
            } else if (c == '_' || c < 128 && Character.isLetter(c)) {
                end = i + 1;
                while (end < n && isNamePart(s.charAt(end))) {
                    end++;
                }
            } else if (c >= '0' && c <= '9') {
                end = i + 1;
                if (c == '0' && end + 1 < n && (s.charAt(end) == 'x' || s.charAt(end) == 'X')
                        && isHexPart(s.charAt(end + 1))) {
                    end += 2;
                    while (end < n && isHexPart(s.charAt(end))) {
                        end++;
                    }
                } else {
                    while (end < n && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
                        end++;
                    }
                }
            } else {
                end = i + (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))
                        ? 2 : 1);
            }
            // Other white space (U+2028, U+001C..U+001F...) stays a one-character token but, like
            // blanks, is never picked as a mutation point.
            if (!Character.isWhitespace(c)) {
                out.add(new int[] {i, end});
            }
            i = end;
        }
        return out;
    }

    /** The blanks of the regex class {@code \s}: space, tab, line feed, vertical tab, form feed, return. */
    private static boolean isBlank(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    private static boolean isNamePart(char c) {
        return c == '_' || c >= '0' && c <= '9' || c < 128 && Character.isLetter(c);
    }

    private static boolean isHexPart(char c) {
        return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
