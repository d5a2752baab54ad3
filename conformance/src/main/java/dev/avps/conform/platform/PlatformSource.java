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
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds a platform by name in a catalog (a directory of .avps files, or the catalog shipped on
 * the class path under {@code avps/}): the whole catalog is loaded, as the CLI loads it, so the
 * platform sees every device as the catalog and its proposals define it.
 */
public final class PlatformSource {
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
        SpecLoader.Result r = SpecLoader.create().load(List.of(dir));
        if (r.model() == null || r.hasErrors()) {
            StringBuilder b = new StringBuilder("cannot load " + shownAs + ":");
            for (SpecDiagnostic d : r.diagnostics()) {
                if (d.severity() == SpecDiagnostic.Severity.ERROR) {
                    b.append("\n  ").append(d);
                }
            }
            throw new IOException(b.toString());
        }
        SpecModel m = r.model();
        Optional<PlatformModel> p = m.platforms().stream().filter(x -> x.name().equals(name)).findFirst();
        if (p.isEmpty()) {
            List<String> names = m.platforms().stream().map(PlatformModel::name).sorted().toList();
            throw new UsageError(shownAs + " has no platform '" + name + "'; it has: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        Set<String> devices = new TreeSet<>();
        m.devices().forEach(d -> devices.add(d.name()));
        return new Loaded(p.get(), m.transportFeatures(), devices);
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
