package io.trainsight.trainer.checkpoint;

import ai.djl.ndarray.NDManager;
import io.trainsight.insight.internal.storage.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes checkpoints into a directory as {@code step-NNNNNNNN.ckpt}, atomically (a temporary file,
 * flushed to disk, then renamed over), and keeps the newest {@code keep} of them. A crash while
 * writing leaves the previous checkpoints intact and at most a {@code .tmp} file, removed by the
 * next writer.
 */
public final class Checkpointer {

    private static final Logger logger = LoggerFactory.getLogger(Checkpointer.class);
    private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.ckpt");

    /** What a damaged checkpoint's name gets when it is set aside. */
    public static final String CORRUPT_SUFFIX = ".corrupt";

    private final Path dir;
    private final int keep;

    /**
     * Creates a writer of checkpoints.
     *
     * @param dir the directory, created when missing
     * @param keep how many of the newest checkpoints to keep, at least 1
     */
    public Checkpointer(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    /** Returns the directory the checkpoints are written to. */
    public Path getDirectory() {
        return dir;
    }

    /**
     * Writes a checkpoint and removes the ones beyond the newest {@code keep}.
     *
     * @param checkpoint what to write
     * @return the file written
     * @throws IOException if it cannot be written (a full disk), naming the file, the step and the
     *     newest checkpoint before it, which is then intact
     */
    public Path write(Checkpoint checkpoint) throws IOException {
        Files.createDirectories(dir);
        long step = checkpoint.state().step();
        Path target = dir.resolve(String.format("step-%08d.ckpt", step));
        try {
            AtomicFiles.write(target, out -> CheckpointFormat.write(checkpoint, out));
        } catch (IOException e) {
            Optional<Path> before = latest(dir);
            throw new IOException(
                    "Cannot write the checkpoint of step "
                            + step
                            + " to "
                            + target
                            + " ("
                            + reason(e)
                            + "); "
                            + before.map(p -> "the last checkpoint, " + p + ", is intact")
                                    .orElse("there is no earlier checkpoint"),
                    e);
        }
        syncDirectory();
        prune();
        logger.debug("Wrote checkpoint {}", target);
        return target;
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            logger.debug("Cannot sync directory {} (the platform may not allow it)", dir, e);
        }
    }

    private void prune() throws IOException {
        List<Path> files = list(dir);
        for (int i = 0; i < files.size() - keep; i++) {
            Files.deleteIfExists(files.get(i));
        }
        try (DirectoryStream<Path> temps =
                Files.newDirectoryStream(dir, "*" + AtomicFiles.TEMP_SUFFIX)) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Lists the complete checkpoints in a directory, oldest first.
     *
     * @param dir the directory
     * @return the checkpoint files; empty if the directory does not exist
     * @throws IOException if the directory cannot be read
     */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "step-*.ckpt")) {
            for (Path entry : entries) {
                if (NAME.matcher(entry.getFileName().toString()).matches()) {
                    files.add(entry);
                }
            }
        }
        files.sort((a, b) -> Long.compare(stepOf(a), stepOf(b)));
        return files;
    }

    /**
     * Returns the newest checkpoint in a directory.
     *
     * @param dir the directory
     * @return the newest checkpoint file, or empty if there is none
     * @throws IOException if the directory cannot be read
     */
    public static Optional<Path> latest(Path dir) throws IOException {
        List<Path> files = list(dir);
        return files.isEmpty() ? Optional.empty() : Optional.of(files.get(files.size() - 1));
    }

    /**
     * Reads a checkpoint file.
     *
     * @param file the file
     * @param manager the manager that will own the arrays
     * @return the checkpoint; close it if its arrays are not handed over
     * @throws IOException if the file cannot be read or is not a complete checkpoint
     */
    public static Checkpoint read(Path file, NDManager manager) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return CheckpointFormat.read(file, in, manager, Files.size(file));
        }
    }

    /**
     * Checks that a checkpoint file is whole (its structure and its checksum), without decoding its
     * arrays.
     *
     * @param file the file
     * @return where the run it holds stands
     * @throws IOException saying why the file cannot be read back
     */
    public static TrainingState verify(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return CheckpointFormat.read(file, in, null, Files.size(file)).state();
        }
    }

    /**
     * Finds the newest checkpoint of a directory that reads back whole. Newer ones that do not (a
     * crash, a full disk, flipped bits) are renamed aside to {@code step-N.ckpt.corrupt}, not
     * deleted, so the run continues from the newest intact one and no later run trips on them.
     *
     * @param dir the directory
     * @return the checkpoint to resume from and the damaged ones passed over; empty if there is no
     *     checkpoint at all
     * @throws IOException if none is intact (naming each and why), or the directory cannot be read
     */
    public static Optional<ResumePoint> newestIntact(Path dir) throws IOException {
        List<Path> files = list(dir);
        List<ResumePoint.SetAside> damaged = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            try {
                return Optional.of(new ResumePoint(file, verify(file), damaged));
            } catch (IOException e) {
                Path aside = setAside(file);
                damaged.add(new ResumePoint.SetAside(file, aside, reason(e)));
                logger.debug("Checkpoint {} is damaged, renamed to {}", file, aside, e);
            }
        }
        if (damaged.isEmpty()) {
            return Optional.empty();
        }
        throw new IOException(
                "No intact checkpoint in "
                        + dir
                        + " to resume from: "
                        + ResumePoint.describe(damaged));
    }

    private static Path setAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX);
        for (int n = 2; Files.exists(aside); n++) {
            aside = file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX + "-" + n);
        }
        return Files.move(file, aside);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(": ");
        return message.startsWith("Cannot read checkpoint ") && colon > 0
                ? message.substring(colon + 2)
                : message;
    }

    /**
     * Returns the step of a checkpoint file from its name.
     *
     * @param file a checkpoint file, {@code step-NNNNNNNN.ckpt}
     * @return the step, or -1 if the name is not a checkpoint's
     */
    public static long stepOf(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }
}
