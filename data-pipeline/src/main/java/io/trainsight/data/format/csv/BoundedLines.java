package io.trainsight.data.format.csv;

import io.trainsight.data.format.MalformedDataException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Reads a text file line by line, as {@link java.io.BufferedReader#readLine()} does (a line ends at
 * {@code \n}, {@code \r} or {@code \r\n}), but refuses a line longer than a limit instead of
 * holding it all in memory: a file with no line break, or a 2 GB line, is a malformed CSV file
 * named with its line, not an {@link OutOfMemoryError}.
 */
final class BoundedLines {

    /** The longest line read by default: 16 Mi characters, a row of over a million numbers. */
    static final int MAX_LINE_CHARS = 1 << 24;

    private final Reader in;
    private final Path file;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int end;
    private boolean skipLineFeed;
    private long number;

    BoundedLines(Reader in, Path file, int maxChars) {
        this.in = in;
        this.file = file;
        this.maxChars = maxChars;
    }

    /**
     * Reads the next line.
     *
     * @return the line without its line break, or null at the end of the file
     * @throws MalformedDataException if the line is longer than the limit, naming its number
     * @throws IOException if the file cannot be read
     */
    String next() throws IOException {
        StringBuilder partial = null;
        while (true) {
            if (position >= end && !fill()) {
                if (partial == null) {
                    return null;
                }
                number++;
                return partial.toString();
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < end && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int length = position - start;
            if ((partial == null ? 0 : partial.length()) + length > maxChars) {
                throw new MalformedDataException(
                        file,
                        "line "
                                + (number + 1)
                                + " is longer than "
                                + maxChars
                                + " characters; a line holds one sample (is the file a CSV file,"
                                + " with line breaks?)");
            }
            if (position < end) {
                skipLineFeed = buffer[position] == '\r';
                position++;
                number++;
                if (partial == null) {
                    return new String(buffer, start, length);
                }
                return partial.append(buffer, start, length).toString();
            }
            if (partial == null) {
                partial = new StringBuilder(Math.max(16, length * 2));
            }
            partial.append(buffer, start, length);
        }
    }

    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        position = 0;
        end = Math.max(read, 0);
        return read > 0;
    }
}
