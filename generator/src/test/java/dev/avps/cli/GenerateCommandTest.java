package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `avps generate` contract: determinism, no needless writes, all-or-nothing, hand-written files safe. */
class GenerateCommandTest {

    static final String DEMO = Path.of("src/test/resources/specs/demo.avps").toString();

    @TempDir
    Path dir;

    /** Every file below a directory with its bytes and mtime. */
    record Snapshot(Map<String, byte[]> bytes, Map<String, FileTime> times) {
        static Snapshot of(Path root) throws IOException {
            Map<String, byte[]> b = new TreeMap<>();
            Map<String, FileTime> t = new TreeMap<>();
            if (Files.exists(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path p : s.filter(Files::isRegularFile).toList()) {
                        b.put(root.relativize(p).toString(), Files.readAllBytes(p));
                        t.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
                    }
                }
            }
            return new Snapshot(b, t);
        }
    }

    @Test
    void rerunIsByteIdenticalAndTouchesNothing() throws IOException {
        Path out = dir.resolve("out");
        AvpsCliTest.Run first = AvpsCliTest.run("generate", "-t", "all", "-o", out.toString(), DEMO);
        assertEquals(0, first.status(), first.err());
        assertTrue(first.err().contains("1 device(s), 19 file(s) written, 0 unchanged"), first.err());
        Snapshot before = Snapshot.of(out);
        assertEquals(19, before.bytes().size(), before.bytes().keySet().toString());
        // Coarse file-system clocks could hide a rewrite; an old mtime cannot.
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (String p : before.bytes().keySet()) {
            Files.setLastModifiedTime(out.resolve(p), old);
        }
        AvpsCliTest.Run second = AvpsCliTest.run("generate", "-t", "c-linux,c-portable", "-t", "docs-md,docs-latex,docs-html",
                "-t", "java,java-skeleton,java-tests", "-o", out.toString(), DEMO);
        assertEquals(0, second.status(), second.err());
        assertTrue(second.err().contains("0 file(s) written, 19 unchanged"), second.err());
        Snapshot after = Snapshot.of(out);
        assertEquals(before.bytes().keySet(), after.bytes().keySet());
        for (String p : before.bytes().keySet()) {
            assertArrayEquals(before.bytes().get(p), after.bytes().get(p), p);
            assertEquals(old, after.times().get(p), "mtime of " + p);
        }
        try (Stream<Path> s = Files.walk(out)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void changedOutputIsReplacedAndReported() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, AvpsCliTest.run("generate", "-t", "docs-md", "-o", out.toString(), DEMO).status());
        Path md = out.resolve("md/virtio_demo.md");
        String original = Files.readString(md);
        Files.writeString(md, original.replace("Feature bits", "Stale"));
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-v", "-t", "docs-md", "-o", out.toString(), DEMO);
        assertEquals(0, r.status(), r.err());
        assertEquals(original, Files.readString(md));
        assertTrue(r.err().contains("avps: docs-md: md/virtio_demo.md\n"), "verbose progress: " + r.err());
        assertTrue(r.err().contains("1 file(s) written, 0 unchanged"), r.err());
    }

    @Test
    void brokenSpecLeavesOutputUntouched() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, AvpsCliTest.run("generate", "-t", "c-linux", "-o", out.toString(), DEMO).status());
        Snapshot before = Snapshot.of(out);
        Path broken = dir.resolve("broken.avps");
        Files.writeString(broken, "package b;\n/** B. */\ndevice b {\n  id 1;\n  spec \"1.4\"\n}\n");
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-t", "all", "-o", out.toString(), DEMO, broken.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(broken + ":6:1: error: missing ';' at '}'"), r.err());
        Snapshot after = Snapshot.of(out);
        assertEquals(before.bytes().keySet(), after.bytes().keySet(), "no new files");
        assertEquals(before.times(), after.times());
    }

    @Test
    void handWrittenFileIsRefusedAndNothingIsWritten() throws IOException {
        Path out = dir.resolve("out");
        Path mine = out.resolve("include/linux/virtio_demo.h");
        Files.createDirectories(mine.getParent());
        Files.writeString(mine, "/* my own header */\n");
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-t", "c-linux,docs-md", "-o", out.toString(), DEMO);
        assertEquals(1, r.status());
        assertTrue(r.err().contains(out.resolve("include/linux/virtio_demo.h") + ":1:1: error: not generated by avps"),
                r.err());
        assertEquals("/* my own header */\n", Files.readString(mine));
        assertFalse(Files.exists(out.resolve("md")), "the other target's files are not written either");
    }

    @Test
    void templatesDirectoryOverridesABuiltInTemplate() throws IOException {
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates.resolve("docs-md"));
        Files.writeString(templates.resolve("docs-md/device.md.ftl"),
                "<!-- ${marker} -->\nCustom ${device.name} has ${doc.features?size} features.\n");
        Path out = dir.resolve("out");
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-t", "docs-md,c-linux", "--templates", templates.toString(),
                "-o", out.toString(), DEMO);
        assertEquals(0, r.status(), r.err());
        assertEquals("<!-- Generated by avps from demo.avps; do not edit. -->\nCustom demo has 6 features.\n",
                Files.readString(out.resolve("md/virtio_demo.md")));
        assertTrue(Files.readString(out.resolve("include/linux/virtio_demo.h")).contains("struct virtio_demo_config {"),
                "templates not overridden stay built in");
    }

    @Test
    void templateErrorsNameTheTemplatePositionAndWriteNothing() throws IOException {
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates.resolve("docs-md"));
        Files.writeString(templates.resolve("docs-md/device.md.ftl"), "<!-- ${marker} -->\n${device.nonsense}\n");
        Path out = dir.resolve("out");
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-t", "c-linux,docs-md", "--templates", templates.toString(),
                "-o", out.toString(), DEMO);
        assertEquals(1, r.status());
        assertTrue(r.err().contains(templates.resolve("docs-md/device.md.ftl") + ":2:3: error: "), r.err());
        assertFalse(Files.exists(out), "nothing written");
        Files.writeString(templates.resolve("docs-md/device.md.ftl"), "no marker\n");
        AvpsCliTest.Run noMarker = AvpsCliTest.run("generate", "-t", "docs-md", "--templates", templates.toString(),
                "-o", out.toString(), DEMO);
        assertEquals(1, noMarker.status());
        assertTrue(noMarker.err().contains("lacks the line 'Generated by avps'"), noMarker.err());
    }

    @Test
    void unknownTargetIsAUsageError() {
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-t", "cobol", "-o", dir.toString(), DEMO);
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown target cobol; known: c-linux, c-portable, docs-md, docs-latex, docs-html, java, "
                + "java-skeleton, java-tests, platform-probe, all"),
                r.err());
    }

    @Test
    void badPrefixIsAUsageError() {
        AvpsCliTest.Run r = AvpsCliTest.run("generate", "-t", "c-portable", "--c-prefix", "9-x", "-o", dir.toString(), DEMO);
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--c-prefix: not a C identifier prefix: 9-x"), r.err());
    }
}
