package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bin/avps with its start-up cache missing, being made, corrupt, or impossible to write: every run
 * must print what a run without any cache prints and exit the same, with at most one extra line
 * on stderr (the note that the cache is being made). Runs after `package`, on each JVM kind the
 * launcher handles that this machine has: JDK 25's AOT cache and the CDS archive of `java` (17).
 */
class LauncherCacheIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path AVPS = ROOT.resolve("bin/avps");
    static final Path SPEC = ROOT.resolve("spec-models/src/main/avps/virtio/bt.avps");
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @TempDir
    Path dir;

    record Run(int status, String out, List<String> err) {
    }

    static Stream<String> javas() {
        return Files.isExecutable(JDK25) ? Stream.of("java", JDK25.toString()) : Stream.of("java");
    }

    static Run avps(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(AVPS.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("AVPS_JAVA_OPTS");
        pb.environment().putAll(env);
        Path errFile = Files.createTempFile("avps-err", ".txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "bin/avps did not finish");
        List<String> err = Files.readAllLines(errFile);
        Files.delete(errFile);
        return new Run(p.exitValue(), out, err);
    }

    /** The run's output equals the reference, stderr allowing one note line about the cache. */
    static void assertSameAs(Run reference, Run run, String what) {
        assertEquals(reference.status(), run.status(), what + ": exit status");
        assertEquals(reference.out(), run.out(), what + ": stdout");
        List<String> err = new ArrayList<>(run.err());
        err.removeIf(line -> line.startsWith("avps: preparing the JVM start-up cache"));
        assertTrue(run.err().size() - err.size() <= 1, what + ": more than one cache note: " + run.err());
        assertEquals(reference.err(), err, what + ": stderr");
    }

    @ParameterizedTest
    @MethodSource("javas")
    void missingCorruptAndUnwritableCachesNeverChangeARun(String java) throws Exception {
        assertTrue(Files.exists(ROOT.resolve("generator/target/avps.jar")), "run after package");
        Path cache = dir.resolve("cache");
        Run reference = avps(Map.of("AVPS_JAVA", java, "AVPS_CACHE", "off"), "check", SPEC.toString());
        assertEquals(0, reference.status(), "reference run: " + reference.err());
        assertTrue(reference.out().contains("bt.avps:38:8: warning"), "the spec has warnings: " + reference.out());

        Map<String, String> env = Map.of("AVPS_JAVA", java, "AVPS_CACHE_DIR", cache.toString());
        Run making = avps(env, "check", SPEC.toString());
        assertSameAs(reference, making, "first run (makes the cache)");
        List<Path> made;
        try (Stream<Path> files = Files.list(cache)) {
            made = files.toList();
        }
        assertEquals(1, made.size(), "one cache file, no temporaries left: " + made);
        assertTrue(Files.size(made.get(0)) > 1_000_000, "a real cache was written");

        assertSameAs(reference, avps(env, "check", SPEC.toString()), "run with the cache");

        // Garbage in place of the cache: the JVM must skip it, the run must not notice.
        made.get(0).toFile().setWritable(true);
        Files.writeString(made.get(0), "not a cache\n".repeat(1000));
        assertSameAs(reference, avps(env, "check", SPEC.toString()), "run with a corrupt cache");
        Files.write(made.get(0), new byte[0]);
        Run remade = avps(env, "check", SPEC.toString());
        assertSameAs(reference, remade, "run with an empty cache file (made again)");

        // A cache directory that cannot be created: no cache, same run, no training.
        Run unwritable = avps(Map.of("AVPS_JAVA", java, "AVPS_CACHE_DIR", "/proc/avps-cache"),
                "check", SPEC.toString());
        assertEquals(reference, unwritable, "run where no cache can be written");
    }
}
