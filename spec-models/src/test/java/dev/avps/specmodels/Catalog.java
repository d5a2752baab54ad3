package dev.avps.specmodels;

import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog as the tests see it: one loader per test JVM (creating one costs about a second)
 * and the shipped specs loaded once.
 */
final class Catalog {

    /** The catalog's sources, relative to the module directory (surefire's working directory). */
    static final Path SPECS = Path.of("src/main/avps");

    private static SpecLoader loader;
    private static SpecLoader.Result catalog;

    private Catalog() {
    }

    static synchronized SpecLoader loader() {
        if (loader == null) {
            loader = SpecLoader.create();
        }
        return loader;
    }

    /** The whole shipped catalog, loaded once per JVM. */
    static synchronized SpecLoader.Result load() {
        if (catalog == null) {
            catalog = loader().load(List.of(SPECS));
        }
        return catalog;
    }

    private static List<LinuxOracle.Report> oracle;

    /**
     * The Linux oracle's verdict on every device that has a header, on the transport, and on
     * each Linux header against the generated c-linux headers (named {@code virtio_<x>.h});
     * empty when gcc or the headers are missing. Computed once per JVM.
     */
    static synchronized List<LinuxOracle.Report> oracle() {
        if (oracle == null) {
            if (!LinuxOracle.available()) {
                oracle = List.of();
                return oracle;
            }
            SpecLoader.Result r = load();
            if (r.hasErrors()) {
                throw new IllegalStateException("catalog has errors: " + r.diagnostics());
            }
            try {
                // The generated C stays in target/oracle for inspection.
                Path dir = Files.createDirectories(Path.of("target/oracle"));
                List<LinuxOracle.Report> out = new ArrayList<>();
                for (DeviceModel d : r.model().devices()) {
                    if (LinuxOracle.headerOf(d).isPresent()) {
                        out.add(LinuxOracle.check(d, dir));
                    }
                }
                out.add(LinuxOracle.checkTransport(r.model(), dir));
                // Then the generated c-linux headers against every fact of Linux's headers.
                out.addAll(HeaderFacts.check(r.model(), dir.resolve("facts")));
                oracle = List.copyOf(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return oracle;
    }

    /** Loads other files (e.g. a mutated copy of a spec) with the shared loader. */
    static synchronized SpecLoader.Result load(List<Path> files) {
        return loader().load(files);
    }
}
