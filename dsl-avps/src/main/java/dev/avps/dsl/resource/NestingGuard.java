package dev.avps.dsl.resource;

import dev.avps.dsl.validation.IssueCodes;
import dev.avps.dsl.validation.Limits;

/**
 * A pre-parse scan that bounds how deeply a spec nests, before the recursive-descent parser and
 * every recursive walk after it see the text.
 *
 * <p>It estimates, from the tokens alone, an upper bound of the depth any tree built from the
 * text can reach: each open bracket ({@code ( [ {}) counts one level, and inside a bracket
 * level every operator ({@code || && ! + - * / .}) counts one more until a separator
 * ({@code ; , : = ..}) or the closing bracket. A left-nested chain {@code a || b || c} builds
 * a tree as deep as it has operators, so operators count as nesting. The scan is linear and
 * allocation-free apart from the bracket stack.
 */
public final class NestingGuard {

    /** Where the text first nests deeper than the limit: 1-based line and column, 0-based offset. */
    public record Violation(int offset, int line, int column, int limit, String message, String code) {

        Violation(int offset, int line, int column, int limit) {
            this(offset, line, column, limit, "nesting deeper than " + limit + " levels (brackets, '!' and operators"
                    + " in one expression each count one); the file is not parsed further", IssueCodes.NESTING_TOO_DEEP);
        }
    }

    private NestingGuard() {
    }

    /** Nesting deeper than {@link Limits#MAX_NESTING}, or a file over {@link Limits#MAX_FILE_CHARS}, or null. */
    public static Violation check(CharSequence text) {
        if (text.length() > Limits.MAX_FILE_CHARS) {
            return new Violation(0, 1, 1, Limits.MAX_FILE_CHARS, "the file has " + text.length()
                    + " characters; a spec file may have at most " + Limits.MAX_FILE_CHARS + " and is not parsed",
                    IssueCodes.FILE_TOO_LARGE);
        }
        return check(text, Limits.MAX_NESTING);
    }

    public static Violation check(CharSequence text, int limit) {
        int n = text.length();
        // ops[k] = operators counted at bracket level k; depth = level + sum(ops[0..level])
        int[] ops = new int[limit + 2];
        int level = 0;
        long sum = 0;
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                i++;
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                i += 2;
                while (i < n && !(text.charAt(i) == '*' && i + 1 < n && text.charAt(i + 1) == '/')) {
                    if (text.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                    i++;
                }
                i += 2;
                continue;
            }
            if (c == '"' || c == '\'') {
                i++;
                while (i < n && text.charAt(i) != c) {
                    if (text.charAt(i) == '\\') {
                        i++;
                    }
                    if (i < n && text.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                    i++;
                }
                i++;
                continue;
            }
            int start = i;
            switch (c) {
                case '(', '[', '{' -> {
                    level++;
                    if (level > limit) {
                        return new Violation(start, line, start - lineStart + 1, limit);
                    }
                    ops[level] = 0;
                    i++;
                }
                case ')', ']', '}' -> {
                    if (level > 0) {
                        sum -= ops[level];
                        level--;
                    }
                    i++;
                }
                case ';', ',', ':', '=' -> {
                    sum -= ops[level];
                    ops[level] = 0;
                    i++;
                }
                case '.' -> {
                    if (i + 1 < n && text.charAt(i + 1) == '.') {
                        sum -= ops[level];
                        ops[level] = 0;
                        i += 2;
                    } else {
                        ops[level]++;
                        sum++;
                        i++;
                    }
                }
                case '|', '&', '!', '+', '-', '*', '/' -> {
                    ops[level]++;
                    sum++;
                    i += (c == '|' || c == '&') && i + 1 < n && text.charAt(i + 1) == c ? 2 : 1;
                }
                default -> i++;
            }
            if (level + sum > limit) {
                return new Violation(start, line, start - lineStart + 1, limit);
            }
        }
        return null;
    }
}
