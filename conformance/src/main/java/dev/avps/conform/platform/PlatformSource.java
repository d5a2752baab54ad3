package dev.avps.conform.platform;

import dev.avps.dsl.load.SpecDiagnostic;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.FeatureModel;
import dev.avps.model.PlatformModel;
import dev.avps.model.SpecModel;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a platform by name in a catalog (a directory of .avps files, or the catalog shipped on
 * the class path under {@code avps/}) and builds its model. Only the platform's file and the
 * files it imports are loaded: the semantic model builds the devices of the files it is given,
 * and the rest of the catalog would only cost time.
 */
public final class PlatformSource {
    private static final Pattern PLATFORM = Pattern.compile("(?m)^\\s*platform\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\{");
    private static final Pattern DEVICE = Pattern.compile("(?m)^\\s*device\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\{");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([A-Za-z_][\\w.]*)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+([A-Za-z_][\\w.]*?)(\\.\\*)?\\s*;");
    /** A file every catalog has; where it lies on the class path tells where the catalog is. */
    private static final String ANCHOR = "avps/virtio/config.avps";

    /**
     * A platform and what else its catalog declares.
     *
     * @param catalogDevices every device name the catalog declares (to tell a misspelt device from
     *                       one the platform does not list)
     */
    public record Loaded(PlatformModel platform, List<FeatureModel> transportFeatures, Set<String> catalogDevices) {
    }

    private PlatformSource() {
    }

    /**
     * Loads platform {@code name} from {@code catalogDir}, or from the class path's catalog when it
     * is null; a name the catalog lacks is a usage error listing the platforms it has.
     */
    public static Loaded load(String name, Path catalogDir) throws UsageError, IOException {
        if (catalogDir != null) {
            if (!Files.isDirectory(catalogDir)) {
                throw new UsageError("--catalog " + catalogDir + ": not a directory");
            }
            return loadFrom(name, catalogDir, "the catalog (" + catalogDir + ")");
        }
        Path copy = Files.createTempDirectory("avps-catalog");
        try {
            copyClassPathCatalog(copy);
            return loadFrom(name, copy, "the shipped catalog");
        } finally {
            try (Stream<Path> s = Files.walk(copy)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** @param shownAs the catalog as a usage error names it (not the temporary copy) */
    private static Loaded loadFrom(String name, Path dir, String shownAs) throws UsageError, IOException {
        Map<Path, String> texts = new LinkedHashMap<>();
        for (Path f : SpecLoader.specsUnder(dir)) {
            texts.put(f, Files.readString(f, StandardCharsets.UTF_8));
        }
        Set<String> platforms = new TreeSet<>();
        Set<String> devices = new TreeSet<>();
        Map<String, List<Path>> packages = new LinkedHashMap<>();
        Path platformFile = null;
        for (Map.Entry<Path, String> e : texts.entrySet()) {
            for (String p : all(PLATFORM, e.getValue())) {
                platforms.add(p);
                if (p.equals(name)) {
                    platformFile = e.getKey();
                }
            }
            devices.addAll(all(DEVICE, e.getValue()));
            for (String pkg : all(PACKAGE, e.getValue())) {
                packages.computeIfAbsent(pkg, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        if (platformFile == null) {
            throw new UsageError(shownAs + " has no platform '" + name + "'; it has: "
                    + (platforms.isEmpty() ? "none" : String.join(", ", platforms)));
        }
        SpecLoader.Result r = SpecLoader.create().load(List.copyOf(withImports(platformFile, texts, packages)));
        if (r.model() == null) {
            StringBuilder b = new StringBuilder("cannot load platform " + name + ":");
            for (SpecDiagnostic d : r.diagnostics()) {
                if (d.severity() == SpecDiagnostic.Severity.ERROR) {
                    b.append("\n  ").append(d);
                }
            }
            throw new IOException(b.toString());
        }
        SpecModel m = r.model();
        PlatformModel p = m.platforms().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IOException(name + " was found in the catalog's text but not in its model"));
        return new Loaded(p, m.transportFeatures(), devices);
    }

    /** The platform's file and every file declaring a package it imports, and theirs, transitively. */
    private static Set<Path> withImports(Path start, Map<Path, String> texts, Map<String, List<Path>> packages) {
        Set<Path> out = new LinkedHashSet<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            Path f = todo.poll();
            if (!out.add(f)) {
                continue;
            }
            Matcher m = IMPORT.matcher(texts.get(f));
            while (m.find()) {
                String imported = m.group(1);
                // "import a.b.*;" names a package; "import a.b.Name;" a name inside package a.b.
                String pkg = m.group(2) != null || !imported.contains(".") ? imported
                        : imported.substring(0, imported.lastIndexOf('.'));
                todo.addAll(packages.getOrDefault(pkg, packages.getOrDefault(imported, List.of())));
            }
        }
        return out;
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * Copies the class path's {@code avps/} tree into {@code into}: the loader takes files, and in
     * the shipped command the catalog sits inside spec-models' jar.
     */
    private static void copyClassPathCatalog(Path into) throws IOException {
        URL anchor = PlatformSource.class.getClassLoader().getResource(ANCHOR);
        if (anchor == null) {
            throw new IOException("no catalog on the class path (no " + ANCHOR + "); name one with --catalog DIR");
        }
        URI uri;
        try {
            uri = anchor.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the catalog at " + anchor, e);
        }
        if (uri.getScheme().equals("jar")) {
            FileSystem fs;
            boolean opened = false;
            try {
                fs = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            } catch (FileSystemAlreadyExistsException e) {
                fs = FileSystems.getFileSystem(uri);
            }
            try {
                copyTree(fs.getPath("/avps"), into);
            } finally {
                if (opened) {
                    fs.close();
                }
            }
        } else {
            copyTree(Path.of(uri).getParent().getParent(), into);
        }
    }

    private static void copyTree(Path root, Path into) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(SpecLoader.EXTENSION) && Files.isRegularFile(p)).toList()) {
                Path to = into.resolve(root.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }
}
