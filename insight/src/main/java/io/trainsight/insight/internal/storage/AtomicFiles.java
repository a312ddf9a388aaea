package io.trainsight.insight.internal.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader, or a run that crashes half-way, sees either the old content or the
 * new one, never a mix: the content goes to a temporary file beside the target, is flushed to disk,
 * and is renamed over the target.
 */
public final class AtomicFiles {

    /** The suffix of the temporary files; a crash may leave one behind. */
    public static final String TEMP_SUFFIX = ".tmp";

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the content.
         *
         * @param out the stream, buffered; do not close it
         * @throws IOException if the content cannot be written
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Replaces a file with new content, atomically where the file system allows.
     *
     * @param target the file to write
     * @param content what to write
     * @return the target
     * @throws IOException if the content cannot be written; the old file is then intact
     */
    public static Path write(Path target, Content content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try {
            try (OutputStream file =
                            Files.newOutputStream(
                                    temp,
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.TRUNCATE_EXISTING,
                                    StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                content.writeTo(out);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            return replace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Replaces a text file, atomically where the file system allows.
     *
     * @param target the file to write
     * @param text the content, written as UTF-8
     * @return the target
     * @throws IOException if it cannot be written; the old file is then intact
     */
    public static Path writeString(Path target, String text) throws IOException {
        return write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Renames a finished temporary file over its target, atomically where the file system allows.
     *
     * @param temp the finished file
     * @param target the file it replaces
     * @return the target
     * @throws IOException if it cannot be renamed
     */
    public static Path replace(Path temp, Path target) throws IOException {
        try {
            Files.move(
                    temp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
