package dev.avps.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SHA-256 over everything that decides the output: the settings, the generator's version and
 * the name and bytes of every spec, library spec and override template. Equal fingerprints mean
 * a run would write exactly what is already there.
 */
public final class InputFingerprint {

    private InputFingerprint() {
    }

    public static String of(GenerationSettings s, String generatorVersion) {
        MessageDigest sha = sha256();
        add(sha, "generator " + generatorVersion);
        add(sha, "targets " + String.join(",", s.targets()));
        add(sha, "prefix " + s.cPrefix());
        add(sha, "package " + s.javaPackage());
        add(sha, "out " + s.sources() + " " + s.testSources());
        addTree(sha, "spec", s.specs());
        for (Path lib : s.library()) {
            addTree(sha, "lib", lib);
        }
        if (s.templates() != null) {
            addTree(sha, "template", s.templates());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void addTree(MessageDigest sha, String kind, Path root) {
        if (root == null || !Files.exists(root)) {
            add(sha, kind + " missing " + root);
            return;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            for (Path f : files) {
                add(sha, kind + " " + root.relativize(f).toString().replace('\\', '/'));
                byte[] bytes = Files.readAllBytes(f);
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                sha.update(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }

    private static void add(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
