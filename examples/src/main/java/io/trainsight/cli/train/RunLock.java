package io.trainsight.cli.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive hold of one process on a run directory, for the run's whole life: an operating
 * system lock on {@value #FILE_NAME} in the directory, which holds the PID of its holder. A second
 * {@code train} or {@code --resume} on the directory is refused, naming that PID. The system drops
 * the lock when its process ends, however it ends, so a lock file left by a crash does not block.
 * The file itself stays (removing it would let two processes lock two different files).
 */
final class RunLock implements AutoCloseable {

    /** The lock file's name inside a run directory. */
    static final String FILE_NAME = ".trainsight.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another process, or this one, holds the directory. */
    static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of a run directory, which must exist.
     *
     * @param runDir the run directory
     * @return the lock; close it when the run ends
     * @throws HeldException when another run holds it, naming its PID
     * @throws IOException when the lock file cannot be opened or written
     */
    static RunLock acquire(Path runDir) throws HeldException, IOException {
        Path file = runDir.resolve(FILE_NAME);
        FileChannel channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new HeldException(
                    "is in use by this process (PID " + ProcessHandle.current().pid() + ")");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(file);
            channel.close();
            throw new HeldException(
                    "is in use by another trainsight run ("
                            + (holder == null ? "PID unknown" : "PID " + holder)
                            + "); wait for it to end or stop it");
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new RunLock(channel, lock);
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.matches("\\d{1,10}") ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Releases the directory. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
