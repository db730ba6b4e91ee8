package dev.bulwark.server.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes files that hold secrets: the directory is 0700, a key file 0600 from the moment it exists (created
 * with those permissions, never widened later), and replaced atomically so a crash leaves the old file or the
 * new one, never half of a key.
 */
final class OwnerOnlyFiles {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {
    }

    /** Creates the directory as 0700, or tightens an existing one to 0700. */
    static void ensureDirectory(Path directory) throws IOException {
        requirePosix(firstExisting(directory));
        if (Files.notExists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        }
        // createDirectories applies the umask, and an existing directory may have been made by hand.
        Files.setPosixFilePermissions(directory, DIRECTORY);
    }

    static void write(Path target, String content, Set<PosixFilePermission> permissions) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(permissions))) {
            Files.setPosixFilePermissions(temporary, permissions);
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically on this file system", e);
        }
    }

    /** True when neither group nor others have any access, as a private key file must be. */
    static boolean isOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        return permissions.stream().noneMatch(GROUP_OR_OTHERS::contains);
    }

    private static Path firstExisting(Path path) throws IOException {
        Path existing = path.toAbsolutePath();
        while (existing != null && Files.notExists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("no existing parent directory for " + path);
        }
        return existing;
    }

    private static void requirePosix(Path existing) {
        if (Files.getFileAttributeView(existing, PosixFileAttributeView.class) == null) {
            throw new TlsConfigurationException("cannot protect a generated TLS private key on this file system (no POSIX"
                    + " permissions at " + existing + "); configure a certificate and key file instead");
        }
    }
}
