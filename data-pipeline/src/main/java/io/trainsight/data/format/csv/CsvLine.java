package io.trainsight.data.format.csv;

import io.trainsight.data.format.MalformedDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of a delimited text file into fields. A field may be quoted with {@code "} (then
 * it may hold the delimiter, and {@code ""} stands for a quote); fields are trimmed of spaces.
 */
final class CsvLine {

    private CsvLine() {}

    /**
     * Splits a line.
     *
     * @param line the line, without its line break
     * @param delimiter the field separator
     * @param file the file, for messages
     * @param lineNumber the line's number from 1, for messages
     * @return the fields
     * @throws MalformedDataException if a quoted field is not closed or has text after its quote
     */
    static List<String> split(String line, char delimiter, Path file, long lineNumber)
            throws MalformedDataException {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                int open = i++;
                while (true) {
                    if (i >= n) {
                        throw new MalformedDataException(
                                file,
                                "line "
                                        + lineNumber
                                        + ", column "
                                        + (open + 1)
                                        + ": a quoted field is not closed before the end of the"
                                        + " line");
                    }
                    char c = line.charAt(i++);
                    if (c == '"' && i < n && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        break;
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != delimiter) {
                    throw new MalformedDataException(
                            file,
                            "line "
                                    + lineNumber
                                    + ", column "
                                    + (i + 1)
                                    + ": text follows a closing quote; a quoted field ends at the"
                                    + " delimiter");
                }
                fields.add(field.toString());
            } else {
                int end = line.indexOf(delimiter, i);
                fields.add(line.substring(i, end < 0 ? n : end).trim());
                i = end < 0 ? n : end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // past the delimiter
        }
    }
}
