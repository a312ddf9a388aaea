package io.trainsight.cli.train;

import io.trainsight.insight.internal.report.HtmlReport;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.insight.internal.storage.AtomicFiles;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.trainer.checkpoint.Checkpointer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory a run writes its files to. It is checked before any work starts and created only
 * once the run is sure to start, so a wrong command line leaves nothing behind. A run owns its
 * directory: {@link #runFiles} finds the files of a run already there, which a new run refuses to
 * mix with and {@code --overwrite} removes with {@link #clear}, leaving every other file alone.
 */
final class RunDirectory {

    /** The folder of the checkpoints inside a run directory. */
    static final String CHECKPOINTS = "checkpoints";

    /** The files a run writes at the top of its directory. */
    private static final List<String> TOP_FILES =
            List.of(
                    RunConfig.FILE_NAME,
                    StepLogWriter.FILE_NAME,
                    SummaryJson.FILE_NAME,
                    HtmlReport.FILE_NAME);

    private static final String CHECKPOINT_FILES =
            "step-*.ckpt{," + AtomicFiles.TEMP_SUFFIX + "," + Checkpointer.CORRUPT_SUFFIX + "*}";

    private RunDirectory() {}

    /**
     * Lists the files of a run in a directory: {@code run.json}, {@code steps.jsonl}, {@code
     * summary.json}, {@code report.html} and the checkpoints.
     *
     * @param dir the directory
     * @return the run's files found, such as {@code run.json} or {@code 3 checkpoints}; empty when
     *     the directory holds no run (or does not exist)
     * @throws IOException if the directory cannot be read
     */
    static List<String> runFiles(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        for (String name : TOP_FILES) {
            if (Files.exists(dir.resolve(name))) {
                found.add(name);
            }
        }
        int checkpoints = checkpointFiles(dir).size();
        if (checkpoints > 0) {
            found.add(checkpoints + (checkpoints == 1 ? " checkpoint" : " checkpoints"));
        }
        return found;
    }

    /**
     * Removes the files of a run from a directory, and only those: the files {@link #runFiles}
     * lists, their temporary files, the damaged checkpoints set aside, and the checkpoints folder
     * once empty. The lock file stays.
     *
     * @param dir the directory
     * @return how many files were removed
     * @throws IOException if one cannot be removed
     */
    static int clear(Path dir) throws IOException {
        int removed = 0;
        for (String name : TOP_FILES) {
            removed += Files.deleteIfExists(dir.resolve(name)) ? 1 : 0;
            Files.deleteIfExists(dir.resolve(name + AtomicFiles.TEMP_SUFFIX));
        }
        for (Path file : checkpointFiles(dir)) {
            removed += Files.deleteIfExists(file) ? 1 : 0;
        }
        Path checkpoints = dir.resolve(CHECKPOINTS);
        if (Files.isDirectory(checkpoints)) {
            try (Stream<Path> left = Files.list(checkpoints)) {
                if (left.findAny().isEmpty()) {
                    Files.delete(checkpoints);
                }
            }
        }
        return removed;
    }

    private static List<Path> checkpointFiles(Path dir) throws IOException {
        Path checkpoints = dir.resolve(CHECKPOINTS);
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(checkpoints)) {
            try (DirectoryStream<Path> entries =
                    Files.newDirectoryStream(checkpoints, CHECKPOINT_FILES)) {
                entries.forEach(files::add);
            }
        }
        return files;
    }

    /**
     * Checks that the directory exists and is writable, or can be created.
     *
     * @param dir the directory the user asked for
     * @return null if it can be used, else one sentence saying why not
     */
    static String problemWith(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                return "'" + dir + "' is a file; give a directory, new or existing";
            }
            return Files.isWritable(absolute)
                    ? null
                    : "'" + dir + "' is not writable; give a directory you can write to";
        }
        Path ancestor = absolute.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            return "'" + dir + "' cannot be created: no part of the path exists";
        }
        if (!Files.isDirectory(ancestor)) {
            return "'" + dir + "' cannot be created: '" + ancestor + "' is a file";
        }
        if (!Files.isWritable(ancestor)) {
            return "'" + dir + "' cannot be created: '" + ancestor + "' is not writable";
        }
        return null;
    }

    /**
     * Says why the file system refused, in a few words: a {@link FileSystemException}'s message is
     * often the path alone.
     *
     * @param e the error
     * @return such as {@code permission denied}
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * After a failed run: prints the newest checkpoint that reads back whole and how to continue
     * from it, or nothing when there is none.
     *
     * @param runDir the run directory
     * @param out where to print
     */
    static void printResumable(Path runDir, PrintWriter out) {
        try {
            List<Path> checkpoints = Checkpointer.list(runDir.resolve(CHECKPOINTS));
            for (int i = checkpoints.size() - 1; i >= 0; i--) {
                Path file = checkpoints.get(i);
                try {
                    long step = Checkpointer.verify(file).step();
                    out.println(
                            "  checkpoint "
                                    + file
                                    + " (step "
                                    + step
                                    + ") is intact; continue with: trainsight train --resume "
                                    + runDir);
                    out.flush();
                    return;
                } catch (IOException damaged) {
                    // an older one may be whole
                }
            }
        } catch (IOException e) {
            // nothing to offer
        }
    }

    /**
     * Creates the directory and its parents.
     *
     * @param dir a directory {@link #problemWith} accepted
     * @return the directory
     * @throws IOException if it cannot be created after all
     */
    static Path create(Path dir) throws IOException {
        return Files.createDirectories(dir);
    }
}
