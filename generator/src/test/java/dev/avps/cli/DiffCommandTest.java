package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.diff.Rule;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** `avps diff`: a real difference (Linux 6.1's blk against VIRTIO 1.4's) and one synthetic edit per rule. */
class DiffCommandTest {

    static final Path BLK = Path.of("../spec-models/src/main/avps/virtio/blk.avps");
    static final Path LINUX_61 = Path.of("src/test/resources/diff/blk-linux-6.1.avps");

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AvpsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void linux61ToVirtio14IsCompatibleAndListsWhatZonedDevicesAdded() {
        Run r = run("diff", LINUX_61.toString(), BLK.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("blk: compatible FEATURE_ADDED feature ZONED: bit 17"), r.out());
        assertTrue(r.out().contains("blk: compatible CONFIG_FIELD_APPENDED config.zoned: at offset 72"), r.out());
        assertTrue(r.out().contains("blk: compatible REQUEST_ADDED request zone_append"), r.out());
        assertTrue(r.out().contains("blk: compatible ENUM_VALUE_ADDED virtio_blk_type.VIRTIO_BLK_T_ZONE_APPEND: = 15"),
                r.out());
        assertTrue(r.out().contains("blk: compatible STRUCT_ADDED struct virtio_blk_zone_descriptor"), r.out());
        assertTrue(r.out().contains(", 0 breaking"), r.out());
    }

    @Test
    void goingBackFromVirtio14ToLinux61Breaks() {
        Run r = run("diff", BLK.toString(), LINUX_61.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("blk: BREAKING FEATURE_REMOVED feature ZONED: bit 17"), r.out());
        assertTrue(r.out().contains("blk: BREAKING REQUEST_REMOVED request zone_report"), r.out());
        assertTrue(r.out().contains("blk: BREAKING FIELD_REMOVED config.zoned"), r.out());
    }

    /** One edit of the catalog's blk per rule: the text replaced, its replacement, the rule that must fire. */
    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("bit 9 FLUSH alias WCE;", "bit 19 FLUSH alias WCE;", Rule.FEATURE_RENUMBERED),
                Arguments.of("legacy bit 0 BARRIER;", "", Rule.FEATURE_REMOVED),
                Arguments.of("bit 14 WRITE_ZEROES;", "bit 14 WRITE_ZEROES requires DISCARD;",
                        Rule.FEATURE_REQUIRES_ADDED),
                Arguments.of("virtio64 capacity;", "virtio64 capacity;\n\t\tle32 inserted;", Rule.FIELD_ADDED_INSIDE),
                Arguments.of("virtio64 capacity;", "virtio64 capacity;\n\t\tle32 inserted;", Rule.FIELD_MOVED),
                Arguments.of("virtio32 blk_size when BLK_SIZE;", "le32 blk_size when BLK_SIZE;", Rule.FIELD_RETYPED),
                Arguments.of("const VIRTIO_BLK_ID_BYTES : le32 = 20;", "const VIRTIO_BLK_ID_BYTES : le32 = 24;",
                        Rule.FIELD_RESIZED),
                Arguments.of("const VIRTIO_BLK_ID_BYTES : le32 = 20;", "const VIRTIO_BLK_ID_BYTES : le32 = 24;",
                        Rule.CONSTANT_CHANGED),
                Arguments.of("virtio32 size_max when SIZE_MAX;", "virtio32 size_max when SIZE_MAX && SEG_MAX;",
                        Rule.FIELD_CONDITION_CHANGED),
                Arguments.of("struct virtio_blk_geometry size 4 {\n\t\tvirtio16 cylinders;",
                        "struct virtio_blk_geometry size 6 {\n\t\tvirtio16 cylinders;\n\t\tle16 spare;",
                        Rule.STRUCT_RESIZED),
                Arguments.of("queue requestq driver-to-device count num_queues if MQ else 1;",
                        "queue requestq driver-to-device count num_queues if MQ else 1 index 2;",
                        Rule.QUEUE_INDEX_MOVED),
                Arguments.of("queue requestq driver-to-device count", "queue requestq device-to-driver count",
                        Rule.QUEUE_DIRECTION_CHANGED),
                Arguments.of("VIRTIO_BLK_T_GET_ID = 8;", "VIRTIO_BLK_T_GET_ID = 9;", Rule.ENUM_VALUE_CHANGED),
                Arguments.of("VIRTIO_BLK_T_GET_ID = 8;", "VIRTIO_BLK_T_GET_ID = 9;", Rule.REQUEST_SELECTOR_CHANGED),
                Arguments.of("requirement blk_no_write_ro driver SHOULD NOT", "requirement blk_no_write_ro driver MUST NOT",
                        Rule.REQUIREMENT_LEVEL_RAISED),
                Arguments.of("requirement blk_wce_needs_flush device MUST on CONFIG_WCE",
                        "requirement blk_wce_needs_flush device MUST on FLUSH", Rule.REQUIREMENT_CONDITION_CHANGED),
                Arguments.of("requirement blk_wce_needs_flush device MUST", "requirement blk_wce_needs_flush driver MUST",
                        Rule.REQUIREMENT_PARTY_CHANGED),
                Arguments.of("id 2;", "id 42;", Rule.DEVICE_ID_CHANGED));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("edits")
    void eachBreakingEditIsNamedAndFailsTheRun(String from, String to, Rule rule) throws IOException {
        assertTrue(rule.breaking());
        Path edited = edit(from, to);
        Run r = run("diff", BLK.toString(), edited.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("BREAKING " + rule + " "), r.out());
    }

    @Test
    void compatibleEditsExitZero() throws IOException {
        Path edited = edit("bit 17 ZONED;", "bit 17 ZONED;\n\t\t/** A proposal's bit. */\n\t\tbit 20 SHINY;");
        Run r = run("diff", BLK.toString(), edited.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("blk: compatible FEATURE_ADDED feature SHINY: bit 20"), r.out());
        Path doc = edit("The header every request starts with.", "Every request starts with this header.");
        Run d = run("diff", BLK.toString(), doc.toString());
        assertEquals(0, d.status());
        assertTrue(d.out().contains("compatible DOC_CHANGED struct virtio_blk_outhdr"), d.out());
        assertTrue(run("diff", BLK.toString(), BLK.toString()).out().startsWith("0 change(s), 0 breaking"));
    }

    @Test
    void aRequirementsSectionAndStatusAreCompatibleChangesThatShow() throws IOException {
        Path moved = edit("requirement blk_wce_needs_flush device MUST on CONFIG_WCE section \"5.2.5.2\"",
                "requirement blk_wce_needs_flush device MUST on CONFIG_WCE section \"5.2.5.3\"");
        Run r = run("diff", BLK.toString(), moved.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("compatible REQUIREMENT_SECTION_CHANGED requirement blk_wce_needs_flush: section"
                + " 5.2.5.2 -> 5.2.5.3"), r.out());
        Path status = edit("checked by blk_ro_write_refused;\n\trequirement blk_ro_no_data",
                "not checkable \"a reason\";\n\trequirement blk_ro_no_data");
        Run s = run("diff", BLK.toString(), status.toString());
        assertEquals(0, s.status(), s.out() + s.err());
        assertTrue(s.out().contains("compatible REQUIREMENT_STATUS_CHANGED requirement blk_ro_write: checked by"
                + " blk_ro_write_refused -> not checkable: a reason"), s.out());
    }

    @Test
    void jsonNamesRulesAndTheVerdict() throws IOException {
        Run r = run("diff", "--format", "json", BLK.toString(), edit("VIRTIO_BLK_T_GET_ID = 8;", "VIRTIO_BLK_T_GET_ID = 9;")
                .toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("\"breaking\": true"), r.out());
        assertTrue(r.out().contains("\"rule\": \"ENUM_VALUE_CHANGED\""), r.out());
        assertTrue(r.out().contains("\"element\": \"virtio_blk_type.VIRTIO_BLK_T_GET_ID\""), r.out());
        assertTrue(r.out().contains("\"detail\": \"8 -> 9\""), r.out());
    }

    @Test
    void twoGitRevisionsOfOnePath() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path spec = repo.resolve("specs/blk.avps");
        Files.createDirectories(spec.getParent());
        git(repo, "init", "-q");
        Files.copy(BLK, spec);
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one");
        Files.writeString(spec, Files.readString(spec).replace("bit 9 FLUSH", "bit 19 FLUSH"));
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-a", "-m", "two");
        Run r = run("diff", "--git", "HEAD~1", "HEAD", repo.resolve("specs").toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("BREAKING FEATURE_RENUMBERED feature FLUSH: bit 9 -> 19"), r.out());
        assertEquals("bit 19 FLUSH", Files.readString(spec).contains("bit 19 FLUSH") ? "bit 19 FLUSH" : "",
                "the work tree is left as it was");
        Run same = run("diff", "--git", "HEAD", "HEAD", spec.toString());
        assertEquals(0, same.status(), same.out() + same.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("diff", BLK.toString()).status());
        assertEquals(2, run("diff", "--git", "HEAD", BLK.toString()).status());
        Run missing = run("diff", BLK.toString(), dir.resolve("nope.avps").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("NEW does not load"), missing.err());
        assertFalse(missing.out().contains("change(s)"));
    }

    private Path edit(String from, String to) throws IOException {
        String text = Files.readString(BLK);
        assertTrue(text.contains(from), "the catalog still reads: " + from);
        Path p = Files.createTempFile(dir, "blk", ".avps");
        Files.writeString(p, text.replace(from, to));
        return p;
    }

    private static void git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }
}
