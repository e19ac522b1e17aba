package dev.inkwell.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a file so that it is either complete or absent: the content goes to a hidden
 * temporary file in the target's folder, which is moved into place only when fully written.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file given its path. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /**
     * @param overwrite whether an existing target may be replaced
     * @throws FileAlreadyExistsException if the target exists and {@code overwrite} is false
     */
    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target + " already exists (use --overwrite to replace it)");
        }
        Path temp;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + target + ": " + FileErrors.reason(e) + " in " + dir, e);
        }
        try {
            content.writeTo(temp);
            // Temporary files are private (rw-------); the result should read like any other file.
            if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Fills a folder given its path. */
    @FunctionalInterface
    public interface FolderContent {
        void writeTo(Path folder) throws IOException;
    }

    /**
     * Replaces the folder {@code target} by one filled completely in a hidden sibling first, so that
     * readers find the old folder or the new one, never a half-written mix. Between moving the old
     * folder aside and the new one in, {@code target} is briefly absent.
     */
    public static void replaceFolder(Path target, FolderContent content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path fresh = Files.createTempDirectory(dir, "." + target.getFileName() + ".");
        Path old = null;
        try {
            content.writeTo(fresh);
            if (Files.exists(target)) {
                old = dir.resolve(fresh.getFileName() + ".old");
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                    old = null;
                }
                throw e;
            }
        } finally {
            deleteTree(fresh);
            if (old != null) {
                deleteTree(old);
            }
        }
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
