package dev.avps.specmodels;

import dev.avps.generator.GeneratedFile;
import dev.avps.generator.GenerationException;
import dev.avps.generator.Generator;
import dev.avps.generator.GeneratorOptions;
import dev.avps.generator.TargetRegistry;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The second oracle: checks the catalog's generated {@code c-linux} headers, not the model, against
 * every fact Linux 6.1's {@code <linux/virtio_*.h>} headers define: the value of each object-like
 * macro, the {@code sizeof} of each struct, and the offset and size of each of its members.
 *
 * <p>Linux's values are measured by a probe program compiled against Linux's headers alone and run;
 * a fact C cannot evaluate (a macro that is not an integer, the size of a flexible array, the offset
 * of a bit-field) is dropped there. Then a second unit includes the generated headers through
 * {@code -I} (the drop-in use: {@code <linux/virtio_blk.h>} resolves to ours, {@code <linux/types.h>}
 * to the system's) and {@code _Static_assert}s each value. A fact whose name the generated header of
 * the same file name lacks, or whose value differs, is a {@link LinuxOracle.Difference} that the
 * allow-list must explain. One report per Linux header, named after it ({@code virtio_net.h}).
 */
final class HeaderFacts {

    private static final Pattern GCC_LINE_ERROR = Pattern.compile("^[^:]+\\.c:(\\d+):\\d+: error: (.*)$");
    private static final Pattern FAILED = Pattern.compile("static assertion failed: \"([^\"]*)\"");

    /** One fact Linux defines: a C expression over Linux's names, tagged for messages. */
    record Fact(String header, String kind, String subject, String expr) {
        String tag() {
            return header + "|" + kind + "|" + subject;
        }
    }

    private HeaderFacts() {
    }

    /** Linux 6.1's virtio headers, by file name. */
    static List<Path> linuxHeaders() {
        try (Stream<Path> s = Files.list(LinuxOracle.INCLUDE)) {
            return s.filter(p -> p.getFileName().toString().matches("virtio_\\w+\\.h")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The facts a header states, before C has said which of them it can evaluate. */
    static List<Fact> candidates(Path header) {
        LinuxHeader h = LinuxHeader.read(header);
        String file = header.getFileName().toString();
        List<Fact> out = new ArrayList<>();
        h.defines.forEach((name, value) -> {
            if (!value.isEmpty() && !h.functionLike.contains(name)) {
                out.add(new Fact(file, "macro", name, "(" + name + ")"));
            }
        });
        h.structs.forEach((struct, members) -> {
            String type = "struct " + struct;
            out.add(new Fact(file, "sizeof", struct, "sizeof(" + type + ")"));
            for (String m : new java.util.LinkedHashSet<>(members)) {
                out.add(new Fact(file, "offset", struct + "." + m, "offsetof(" + type + ", " + m + ")"));
                out.add(new Fact(file, "size", struct + "." + m, "sizeof(((" + type + " *)0)->" + m + ")"));
            }
        });
        return out;
    }

    /**
     * Linux's value of every fact C can evaluate: a probe compiled against Linux's headers and run.
     * Lines gcc rejects are dropped and the probe rebuilt (a few rounds at most).
     */
    static Map<Fact, String> measure(List<Fact> facts, List<Path> headers, Path dir) {
        List<Fact> live = new ArrayList<>(facts);
        for (int round = 0; round < 6; round++) {
            StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n");
            headers.forEach(h -> c.append("#include <linux/").append(h.getFileName()).append(">\n"));
            c.append("int main(void)\n{\n");
            int firstLine = (int) c.chars().filter(ch -> ch == '\n').count() + 1;
            for (int i = 0; i < live.size(); i++) {
                c.append("\tprintf(\"%d %lld\\n\", ").append(i).append(", (long long)(").append(live.get(i).expr())
                        .append("));\n");
            }
            c.append("\treturn 0;\n}\n");
            Path src = write(dir.resolve("linux-probe.c"), c.toString());
            Path exe = dir.resolve("linux-probe");
            Run build = run(List.of("gcc", "-std=gnu11", "-w", "-fmax-errors=0", "-o", exe.toString(), src.toString()));
            Set<Integer> bad = new HashSet<>();
            for (String line : build.out.split("\n")) {
                Matcher m = GCC_LINE_ERROR.matcher(line);
                if (m.matches()) {
                    int index = Integer.parseInt(m.group(1)) - firstLine;
                    if (index >= 0 && index < live.size()) {
                        bad.add(index);
                    }
                }
            }
            if (build.exit == 0) {
                Run probe = run(List.of(exe.toString()));
                if (probe.exit != 0) {
                    throw new IllegalStateException("the Linux probe failed: " + probe.out);
                }
                Map<Fact, String> values = new LinkedHashMap<>();
                for (String line : probe.out.split("\n")) {
                    String[] p = line.trim().split(" ");
                    if (p.length == 2) {
                        values.put(live.get(Integer.parseInt(p[0])), p[1]);
                    }
                }
                return values;
            }
            if (bad.isEmpty()) {
                throw new IllegalStateException("gcc rejects the Linux probe " + src + ":\n" + build.out);
            }
            List<Fact> next = new ArrayList<>();
            for (int i = 0; i < live.size(); i++) {
                if (!bad.contains(i)) {
                    next.add(live.get(i));
                }
            }
            live = next;
        }
        throw new IllegalStateException("the Linux probe did not settle; see " + dir.resolve("linux-probe.c"));
    }

    /** The catalog's c-linux output, written under {@code dir/include/linux}. */
    static Path generate(SpecModel model, Path dir) {
        try {
            List<GeneratedFile> files = new Generator(GeneratorOptions.defaults(), line -> { })
                    .generate(model, TargetRegistry.builtIn().select(List.of("c-linux")));
            for (GeneratedFile f : files) {
                Path p = dir.resolve(f.path());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.content());
            }
            return dir.resolve("include");
        } catch (GenerationException e) {
            throw new IllegalStateException("c-linux generation failed: " + e.problems(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One report per Linux header: its facts held by the generated header of the same name. */
    static List<LinuxOracle.Report> check(SpecModel model, Path dir) {
        List<Path> headers = linuxHeaders();
        List<Fact> all = new ArrayList<>();
        headers.forEach(h -> all.addAll(candidates(h)));
        Map<Fact, String> linux = measure(all, headers, dir);
        Path include = generate(model, dir.resolve("generated"));

        Map<String, List<LinuxOracle.Difference>> diffs = new TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> asserts = new LinkedHashMap<>();
        Map<String, LinuxHeader> ours = new HashMap<>();
        for (Path h : headers) {
            String file = h.getFileName().toString();
            diffs.put(file, new ArrayList<>());
            Path generated = include.resolve("linux").resolve(file);
            if (Files.isRegularFile(generated)) {
                ours.put(file, LinuxHeader.read(generated));
            } else {
                diffs.get(file).add(new LinuxOracle.Difference(file, "header-missing", file));
            }
        }
        Set<String> missingStructs = new HashSet<>();
        for (Map.Entry<Fact, String> e : linux.entrySet()) {
            Fact f = e.getKey();
            LinuxHeader g = ours.get(f.header());
            if (g == null) {
                continue;
            }
            String missing = missing(f, g);
            if (missing != null) {
                if (!missing.equals("struct-missing") || missingStructs.add(f.header() + f.subject())) {
                    diffs.get(f.header()).add(new LinuxOracle.Difference(f.header(), missing,
                            missing.equals("struct-missing") ? f.subject().split("\\.")[0] : f.subject()));
                }
                continue;
            }
            asserts.put(f.tag(), "(long long)(" + f.expr() + ") == " + e.getValue() + "LL");
            counts.merge(f.header(), 1, Integer::sum);
        }
        dedupe(diffs);

        StringBuilder c = new StringBuilder("/* Generated by HeaderFacts: Linux 6.1's values against the catalog's c-linux headers */\n");
        c.append("#include <stddef.h>\n");
        ours.keySet().stream().sorted().forEach(h -> c.append("#include <linux/").append(h).append(">\n"));
        asserts.forEach((tag, cond) -> c.append("_Static_assert(").append(cond).append(", \"").append(tag).append("\");\n"));
        Path unit = write(dir.resolve("generated-facts.c"), c.toString());
        Run gcc = run(List.of("gcc", "-std=gnu11", "-fsyntax-only", "-fmax-errors=0", "-I", include.toString(),
                unit.toString()));
        Map<String, List<String>> failures = new HashMap<>();
        for (String line : gcc.out.split("\n")) {
            Matcher m = FAILED.matcher(line);
            if (m.find()) {
                String[] tag = m.group(1).split("\\|", 3);
                // A value Linux and the catalog disagree on: allow-listed with a reason, or a failure.
                diffs.get(tag[0]).add(new LinuxOracle.Difference(tag[0], "value-differs", tag[1] + ":" + tag[2]));
                counts.merge(tag[0], -1, Integer::sum);
            } else if (line.contains(": error: ")) {
                failures.computeIfAbsent("all", k -> new ArrayList<>()).add("gcc: " + line);
            }
        }
        if (failures.isEmpty() && gcc.exit != 0 && diffs.values().stream().flatMap(List::stream)
                .noneMatch(d -> d.kind().equals("value-differs"))) {
            failures.computeIfAbsent("all", k -> new ArrayList<>()).add("gcc exited with " + gcc.exit + ":\n" + gcc.out);
        }

        List<LinuxOracle.Report> out = new ArrayList<>();
        Set<String> withFacts = new HashSet<>();
        linux.keySet().forEach(f -> withFacts.add(f.header()));
        for (Path h : headers) {
            String file = h.getFileName().toString();
            if (!withFacts.contains(file)) {
                continue; // virtio_types.h, virtio_rng.h: types and includes only (the unit above includes ours)
            }
            List<String> fail = new ArrayList<>(failures.getOrDefault("all", List.of()));
            out.add(new LinuxOracle.Report(file, null, file, counts.getOrDefault(file, 0), fail, diffs.get(file), unit));
        }
        return out;
    }

    /** What the generated header lacks for this fact, or null when it has the name. */
    private static String missing(Fact f, LinuxHeader g) {
        if (f.kind().equals("macro")) {
            return g.defines.containsKey(f.subject()) ? null : "macro-missing";
        }
        String struct = f.subject().split("\\.")[0];
        List<String> members = g.structs.get(struct);
        if (members == null) {
            return "struct-missing";
        }
        if (f.kind().equals("sizeof")) {
            return null;
        }
        return members.contains(f.subject().substring(struct.length() + 1)) ? null : "member-missing";
    }

    /** A missing member yields two facts (offset and size) but one difference. */
    private static void dedupe(Map<String, List<LinuxOracle.Difference>> diffs) {
        diffs.replaceAll((k, v) -> new ArrayList<>(new java.util.LinkedHashSet<>(v)));
    }

    private record Run(int exit, String out) {
    }

    private static Run run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out: " + command);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
