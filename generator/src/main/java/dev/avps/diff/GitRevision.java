package dev.avps.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A path as it was at one git revision, written out to a directory: {@code git archive REV -- PATH}
 * unpacked with tar, so files and directories work alike and the work tree is never touched.
 */
public final class GitRevision {

    private GitRevision() {
    }

    /** @return the path inside {@code into} that holds {@code path} at {@code rev} */
    public static Path export(Path repo, String rev, Path path, Path into) throws IOException, InterruptedException {
        Path top = Path.of(run(repo, List.of("git", "rev-parse", "--show-toplevel")).strip());
        Path rel = top.relativize(path.toAbsolutePath().normalize());
        Path tar = Files.createTempFile(into, "rev", ".tar");
        run(repo, List.of("git", "-C", top.toString(), "archive", "--format=tar", "-o", tar.toString(), rev, "--",
                rel.toString().isEmpty() ? "." : rel.toString()));
        Path dir = Files.createDirectories(into.resolve(rev.replaceAll("[^A-Za-z0-9._-]", "_")));
        run(repo, List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
        Files.delete(tar);
        return dir.resolve(rel.toString());
    }

    private static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }
}
