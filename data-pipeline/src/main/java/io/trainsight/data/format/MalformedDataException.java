package io.trainsight.data.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file is not in the format it claims: the message names the file, the position (line, byte
 * offset or sample) and what was expected there.
 */
public class MalformedDataException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates an exception.
     *
     * @param file the file at fault
     * @param message what is wrong and where, without the file name (it is prepended)
     */
    public MalformedDataException(Path file, String message) {
        this(file, message, null);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param file the file at fault
     * @param message what is wrong and where, without the file name (it is prepended)
     * @param cause the underlying failure, or {@code null}
     */
    public MalformedDataException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** Returns the file at fault. */
    public Path file() {
        return file;
    }
}
