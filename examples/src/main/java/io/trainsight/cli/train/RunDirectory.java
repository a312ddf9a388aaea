package io.trainsight.cli.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory a run writes its files to. It is checked before any work starts and created only
 * once the run is sure to start, so a wrong command line leaves nothing behind.
 */
final class RunDirectory {

    private RunDirectory() {}

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
