package dev.avps.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal's logic on a temporary project: generate, skip when unchanged, regenerate, fail clearly. */
class GenerateMojoTest {

    @TempDir
    Path base;

    Path specs;
    GenerateMojo mojo;

    @BeforeEach
    void project() throws Exception {
        specs = base.resolve("src/main/avps");
        Files.createDirectories(specs);
        Files.copy(Path.of("src/test/resources/specs/order.avps"), specs.resolve("order.avps"));
        mojo = new GenerateMojo();
        mojo.sourceDirectory = specs.toFile();
        mojo.outputDirectory = base.resolve("target/generated-sources/avps").toFile();
        mojo.testOutputDirectory = base.resolve("target/generated-test-sources/avps").toFile();
        mojo.stampFile = base.resolve("target/avps/generate.stamp").toFile();
        mojo.targets = List.of("c-linux", "docs-md");
        mojo.cPrefix = "avps_";
        mojo.project = new MavenProject();
    }

    Path header() {
        return mojo.outputDirectory.toPath().resolve("include/linux/virtio_order.h");
    }

    @Test
    void generatesAndAddsTheSourceRoots() throws Exception {
        mojo.execute();
        assertTrue(Files.readString(header()).contains("struct outer {"));
        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("md/virtio_order.md")));
        assertTrue(mojo.project.getCompileSourceRoots().contains(mojo.outputDirectory.getAbsolutePath()));
        assertTrue(mojo.project.getTestCompileSourceRoots().contains(mojo.testOutputDirectory.getAbsolutePath()));
    }

    @Test
    void unchangedInputsSkipTheWork() throws Exception {
        GenerationSettings s = settings();
        assertFalse(new GenerationRun(s, m -> { }).run().upToDate());
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(header(), old);
        GenerationRun.Outcome again = new GenerationRun(s, m -> { }).run();
        assertTrue(again.upToDate(), "nothing changed");
        assertEquals(old, Files.getLastModifiedTime(header()));

        Files.writeString(specs.resolve("order.avps"),
                Files.readString(specs.resolve("order.avps")).replace("le32 tail;", "le32 tail;\n\t\tle32 more;"));
        GenerationRun.Outcome changed = new GenerationRun(s, m -> { }).run();
        assertFalse(changed.upToDate(), "a changed spec regenerates");
        assertTrue(Files.readString(header()).contains("__le32 more;"));

        GenerationSettings otherTargets = new GenerationSettings(s.specs(), s.library(), s.sources(), s.testSources(),
                s.stamp(), List.of("c-linux"), s.cPrefix(), s.templates());
        assertFalse(new GenerationRun(otherTargets, m -> { }).run().upToDate(), "changed settings regenerate");

        Files.delete(header());
        assertFalse(new GenerationRun(otherTargets, m -> { }).run().upToDate(), "a deleted output regenerates");
        assertTrue(Files.exists(header()));
    }

    @Test
    void specErrorsFailTheBuildWithPositions() throws Exception {
        Files.writeString(specs.resolve("broken.avps"), "package b;\n/** B. */\ndevice b {\n  id 1;\n  spec \"1.4\"\n}\n");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains(specs.resolve("broken.avps") + ":6:1: error: missing ';' at '}'"),
                e.getMessage());
        assertFalse(Files.exists(mojo.outputDirectory.toPath()), "nothing written");
        assertFalse(Files.exists(mojo.stampFile.toPath()), "a failed run leaves no stamp");
    }

    @Test
    void skipDoesNothing() throws Exception {
        mojo.skip = true;
        mojo.execute();
        assertFalse(Files.exists(mojo.outputDirectory.toPath()));
        assertTrue(mojo.project.getCompileSourceRoots().isEmpty());
    }

    @Test
    void unknownTargetFailsTheBuild() {
        mojo.targets = List.of("c-linux,nope");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("unknown target nope"), e.getMessage());
    }

    private GenerationSettings settings() {
        return new GenerationSettings(specs, List.of(), mojo.outputDirectory.toPath(), mojo.testOutputDirectory.toPath(),
                mojo.stampFile.toPath(), mojo.targets, "avps_", (Path) null);
    }

}
