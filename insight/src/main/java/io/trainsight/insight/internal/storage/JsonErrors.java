package io.trainsight.insight.internal.storage;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Turns Jackson's errors into one sentence for a user: its own message without the location Jackson
 * appends (which, since Jackson 2.16, reads {@code [Source: REDACTED ...]}), and the line and
 * column instead.
 */
public final class JsonErrors {

    private JsonErrors() {}

    /**
     * Describes why a JSON text could not be read.
     *
     * @param error what Jackson or the file system threw
     * @return one line, such as {@code Unexpected character ('}' (code 125)) at line 3, column 1}
     */
    public static String describe(Exception error) {
        if (error instanceof JsonProcessingException json) {
            String message = firstLine(json.getOriginalMessage());
            if (json instanceof JsonMappingException mapping) {
                String field = field(mapping);
                if (field != null) {
                    message = "\"" + field + "\": " + message;
                }
            }
            JsonLocation location = json.getLocation();
            if (location != null && location.getLineNr() > 0) {
                return message
                        + " at line "
                        + location.getLineNr()
                        + ", column "
                        + location.getColumnNr();
            }
            return message;
        }
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : firstLine(message);
    }

    private static String field(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? null : path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        String stripped = message.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline).strip();
    }
}
