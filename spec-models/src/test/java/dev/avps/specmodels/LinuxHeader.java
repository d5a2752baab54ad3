package dev.avps.specmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the oracle needs to know about one Linux uapi header, read with a deliberately small parser:
 * the macros it defines (and which of them sit in a {@code #ifndef ..._NO_LEGACY} block), the
 * member names of each struct it defines, and every identifier it mentions.
 *
 * <p>The parser only decides <em>which</em> names to compare; every number is checked by gcc
 * against the header itself. A parser mistake therefore shows up as a gcc error (a member that
 * does not exist) or as a difference the allow-list would have to name, never as a silent pass.
 */
final class LinuxHeader {

    private static final Pattern DEFINE = Pattern.compile("^\\s*#\\s*define\\s+(\\w+)\\s*(.*)$");
    private static final Pattern STRUCT_START = Pattern.compile("\\bstruct\\s+(\\w+)\\s*\\{");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_]\\w*");

    final Path path;
    /** Macro name to its (trimmed) replacement text. */
    final Map<String, String> defines = new LinkedHashMap<>();
    /** Macros defined only for the legacy interface. */
    final Set<String> legacyMacros = new HashSet<>();
    /** Struct name to its member names (members of anonymous unions and structs included). */
    final Map<String, List<String>> structs = new LinkedHashMap<>();
    /** Function-like macros (a parenthesis right after the name): no value to compare. */
    final Set<String> functionLike = new HashSet<>();
    /** Every identifier in the header outside comments. */
    final Set<String> words = new HashSet<>();

    private LinuxHeader(Path path, String source) {
        this.path = path;
        String code = stripComments(source);
        readDirectives(code);
        readStructs(code);
        Matcher w = WORD.matcher(code);
        while (w.find()) {
            words.add(w.group());
        }
    }

    /** Several headers read as one (their definitions do not collide). */
    static LinuxHeader merge(List<Path> paths) {
        StringBuilder all = new StringBuilder();
        for (Path p : paths) {
            try {
                all.append(Files.readString(p)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return new LinuxHeader(paths.get(0), all.toString());
    }

    static LinuxHeader read(Path path) {
        try {
            return new LinuxHeader(path, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Whether the macro expands to a plain integer (a feature bit, not an alias of another macro). */
    boolean isNumericMacro(String name) {
        String v = defines.get(name);
        return v != null && v.matches("\\(?\\s*(0x[0-9a-fA-F]+|\\d+)[uUlL]*\\s*\\)?");
    }

    private static String stripComments(String s) {
        // Comments go first, then backslash-newline continuations (multi-line macros).
        return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "").replaceAll("\\\\\\r?\\n", " ");
    }

    private void readDirectives(String code) {
        Deque<Boolean> conditionals = new ArrayDeque<>();
        for (String line : code.split("\n")) {
            String t = line.trim();
            if (t.startsWith("#if")) {
                conditionals.push(t.matches("#\\s*ifndef\\s+\\w+_NO_LEGACY\\b.*"));
            } else if (t.startsWith("#endif")) {
                if (!conditionals.isEmpty()) {
                    conditionals.pop();
                }
            } else {
                Matcher m = DEFINE.matcher(line);
                if (m.matches()) {
                    defines.put(m.group(1), m.group(2).trim());
                    if (line.matches("^\\s*#\\s*define\\s+\\w+\\(.*")) {
                        functionLike.add(m.group(1));
                    }
                    if (conditionals.contains(Boolean.TRUE)) {
                        legacyMacros.add(m.group(1));
                    }
                }
            }
        }
    }

    private void readStructs(String code) {
        String flat = code.replaceAll("(?m)^\\s*#.*$", " ");
        Matcher m = STRUCT_START.matcher(flat);
        while (m.find()) {
            int open = m.end() - 1;
            int close = matching(flat, open);
            if (close < 0) {
                continue;
            }
            List<String> members = new ArrayList<>();
            members(flat.substring(open + 1, close), members);
            structs.putIfAbsent(m.group(1), members);
        }
    }

    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                depth++;
            } else if (s.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Collects the member names of a struct or union body. */
    private static void members(String body, List<String> out) {
        int i = 0;
        int start = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '{') {
                int close = matching(body, i);
                String after = body.substring(close + 1);
                int semi = after.indexOf(';');
                String declarator = after.substring(0, semi).replaceAll("__attribute__\\s*\\(\\(.*?\\)\\)", "").trim();
                if (declarator.isEmpty()) {
                    members(body.substring(i + 1, close), out); // anonymous: members are the parent's
                } else {
                    out.add(name(declarator));
                }
                i = close + 1 + semi + 1;
                start = i;
                continue;
            }
            if (c == ';') {
                String decl = body.substring(start, i).replaceAll("__attribute__\\s*\\(\\(.*?\\)\\)", "").trim();
                if (!decl.isEmpty()) {
                    for (String part : decl.split(",")) {
                        out.add(name(part));
                    }
                }
                start = i + 1;
            }
            i++;
        }
    }

    private static String name(String declarator) {
        String d = declarator.replaceAll("\\[[^\\]]*\\]", "").replaceAll(":\\s*\\d+\\s*$", "").trim();
        Matcher w = WORD.matcher(d);
        String last = null;
        while (w.find()) {
            last = w.group();
        }
        return last;
    }
}
