import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run by the generator's pom as a single-file program during `package`): removes the
 * signature files from the jars the CLI runs from, in place, in target/lib.
 *
 * <p>Why: the Eclipse jars (EMF, Xtext, LSP4J, OSGi) are signed. The JVM checks every class it
 * loads from a signed jar against the signature, and it never puts such classes in a CDS archive
 * or AOT cache, nor any class that extends one of them: the start-up cache would miss most of
 * Xtext. Maven has already checked these jars' checksums on download, and target/lib is our own
 * copy, so the signature adds nothing here. The classes themselves are not changed.
 */
public final class UnsignJars {

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: UnsignJars <directory of jars>");
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                if (isSigned(jar)) {
                    rewriteWithoutSignature(jar);
                }
            }
        }
    }

    private static boolean isSigned(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(e -> SIGNATURE.matcher(e.getName()).matches());
        }
    }

    /** Writes a copy beside the jar and renames it over the jar, so a failed run leaves the original. */
    private static void rewriteWithoutSignature(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".unsigned.tmp");
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                if (SIGNATURE.matcher(entry.getName()).matches()) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
