package io.trainsight.gpu.internal.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A {@code /proc} file kept open and read again from offset 0 into the same direct buffer, so a
 * re-read allocates nothing.
 */
final class ProcFile implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBuffer buffer;

    private ProcFile(FileChannel channel, int capacity) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(capacity);
    }

    /**
     * Opens a file for reading.
     *
     * @param path the file
     * @param capacity the most bytes read (the rest of a longer file is ignored)
     * @return the file, or empty when it cannot be opened (not Linux, or no permission)
     */
    static Optional<ProcFile> open(Path path, int capacity) {
        try {
            return Optional.of(
                    new ProcFile(FileChannel.open(path, StandardOpenOption.READ), capacity));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the file's current content into {@link #buffer()} from offset 0.
     *
     * @return the number of bytes read, or -1 if the read failed
     */
    int read() {
        buffer.clear();
        try {
            // A /proc file is generated whole on a read from offset 0: a read that does not fill
            // the buffer has it all, so the usual second read (returning 0) is one system call
            // per file and tick saved.
            while (buffer.hasRemaining()) {
                int before = buffer.remaining();
                int n = channel.read(buffer, buffer.position());
                if (n <= 0 || n < before) {
                    break;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return buffer.position();
    }

    /**
     * Returns the buffer the file is read into; valid bytes start at 0.
     *
     * @return the buffer
     */
    ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written; nothing is lost
        }
    }
}
