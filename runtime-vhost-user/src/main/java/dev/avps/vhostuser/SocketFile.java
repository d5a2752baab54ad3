package dev.avps.vhostuser;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The listening socket file, created with the mode asked for and never reachable with a wider
 * one. junixsocket makes a new socket file 0666 whatever the umask, so the socket is bound inside
 * a fresh directory only its owner may enter (0700, next to the target so both are on one file
 * system), given its mode there, and only then linked at the target path: the name others can
 * reach appears with its final mode. The private directory stays while the server runs (junixsocket
 * stops accepting when the path it bound disappears) and is removed by {@link #close()}.
 */
final class SocketFile implements AutoCloseable {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int DEFAULT_MODE = 0600;

    private final Path target;
    private final Path privateDir;
    private final Path inside;
    private final AFUNIXServerSocket server;

    private SocketFile(Path target, Path privateDir, Path inside, AFUNIXServerSocket server) {
        this.target = target;
        this.privateDir = privateDir;
        this.inside = inside;
        this.server = server;
    }

    /**
     * Binds and listens at {@code path}, replacing a stale socket (never another kind of file).
     * {@code mode} is applied exactly; {@link ServerOptions#DEFAULT_MODE} means 0600 under the umask.
     */
    static SocketFile bind(Path path, int mode) throws IOException {
        Path target = path.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(target)) {
                throw new IOException("refusing to replace " + target + ": it exists and is not a socket");
            }
            removeStale(target);
        }
        Path dir = Files.createTempDirectory(target.getParent(), privatePrefix(target));
        Path inside = dir.resolve("s");
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        try {
            server.bind(AFUNIXSocketAddress.of(inside));
            Files.setPosixFilePermissions(inside, permissions(mode == ServerOptions.DEFAULT_MODE
                    ? DEFAULT_MODE & ~umask() : mode));
            Files.createLink(target, inside);
            return new SocketFile(target, dir, inside, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(inside);
            Files.deleteIfExists(dir);
            throw e;
        }
    }

    AFUNIXServerSocket server() {
        return server;
    }

    /** Stops listening and removes the socket's names (the target only if it is still ours). */
    @Override
    public void close() throws IOException {
        // Compared before junixsocket's close deletes the path it bound.
        boolean ours = Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.exists(inside, LinkOption.NOFOLLOW_LINKS)
                && Files.isSameFile(target, inside);
        server.close();
        if (ours) {
            Files.deleteIfExists(target);
        }
        Files.deleteIfExists(inside);
        Files.deleteIfExists(privateDir);
    }

    private static String privatePrefix(Path target) {
        return "." + target.getFileName() + ".avps-";
    }

    /** Removes a socket a killed server left behind, and its private directory if it was ours. */
    private static void removeStale(Path target) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(target.getParent(), privatePrefix(target) + "*")) {
            for (Path d : dirs) {
                Path s = d.resolve("s");
                if (Files.exists(s, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(s, target)) {
                    Files.delete(s);
                    Files.delete(d);
                }
            }
        }
        Files.delete(target);
    }

    static boolean isSocket(Path p) throws IOException {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT) == S_IFSOCK;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The permission bits of the file at {@code p}. */
    static int modeOf(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    /** The process's umask from /proc (Linux 4.7+); 077, the strictest, if it cannot be read. */
    static int umask() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String l : lines) {
                if (l.startsWith("Umask:")) {
                    return Integer.parseInt(l.substring(6).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the strictest answer
        }
        return 077;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(bits[i]);
            }
        }
        return s;
    }
}
