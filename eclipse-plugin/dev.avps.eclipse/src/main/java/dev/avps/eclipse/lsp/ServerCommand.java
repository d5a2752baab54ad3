package dev.avps.eclipse.lsp;

import java.nio.file.Path;
import java.util.List;

/** The command line that starts the packaged language server with a given Java runtime. */
public final class ServerCommand {
    private ServerCommand() {
    }

    /**
     * Returns {@code <javaHome>/bin/java -jar <serverJar>}, with {@code java.exe} on Windows. The
     * server talks LSP over stdin/stdout, so the console launcher (not javaw) is required.
     */
    public static List<String> commandLine(Path javaHome, Path serverJar, String osName) {
        boolean windows = osName != null && osName.toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        Path java = javaHome.resolve("bin").resolve(windows ? "java.exe" : "java");
        return List.of(java.toString(), "-jar", serverJar.toAbsolutePath().toString());
    }

    /** The command line for the JRE this Eclipse runs on. */
    public static List<String> forRunningJre(Path serverJar) {
        return commandLine(Path.of(System.getProperty("java.home")), serverJar, System.getProperty("os.name"));
    }
}
