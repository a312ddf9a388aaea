package io.trainsight.data.format.csv;

import io.trainsight.data.format.MalformedDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns the text of a label column into class numbers. If every label is a whole number from 0, the
 * number is the class (classes 0 to the largest); otherwise every distinct label is a class name,
 * numbered in sorted order.
 */
final class ClassLabels {

    private final float[] classes;
    private final List<String> names;

    private ClassLabels(float[] classes, List<String> names) {
        this.classes = classes;
        this.names = names;
    }

    /** Returns the class number of each row. */
    float[] classes() {
        return classes;
    }

    /** Returns the class names, by class number. */
    List<String> names() {
        return names;
    }

    /**
     * Reads the labels.
     *
     * @param labels the label of each row
     * @param lines the line number of each row, for messages
     * @param column the label column's name, for messages
     * @param file the file, for messages
     * @return the class numbers and names
     * @throws MalformedDataException if a label is empty, or the labels are numbers that are not
     *     whole and non-negative (a regression target, which these readers do not train)
     */
    static ClassLabels of(List<String> labels, long[] lines, String column, Path file)
            throws MalformedDataException {
        boolean numeric = true;
        boolean whole = true;
        int firstFraction = -1;
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label.isEmpty()) {
                throw new MalformedDataException(
                        file, "line " + lines[i] + ": the label column '" + column + "' is empty");
            }
            Double value = parse(label);
            if (value == null) {
                numeric = false;
            } else if (value < 0 || value != Math.rint(value) || value > 1e6) {
                whole = false;
                firstFraction = firstFraction < 0 ? i : firstFraction;
            }
        }
        if (numeric && !whole) {
            throw new MalformedDataException(
                    file,
                    "line "
                            + lines[firstFraction]
                            + ": label '"
                            + labels.get(firstFraction)
                            + "' in column '"
                            + column
                            + "' is not a class: labels are whole numbers from 0 up to 1000000"
                            + " or class names");
        }
        return numeric ? numbered(labels) : named(labels);
    }

    private static ClassLabels numbered(List<String> labels) {
        float[] classes = new float[labels.size()];
        int max = 0;
        for (int i = 0; i < classes.length; i++) {
            int value = (int) Double.parseDouble(labels.get(i));
            classes[i] = value;
            max = Math.max(max, value);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            names.add(Integer.toString(c));
        }
        return new ClassLabels(classes, names);
    }

    private static ClassLabels named(List<String> labels) {
        List<String> names = new ArrayList<>(new TreeSet<>(labels));
        float[] classes = new float[labels.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = Collections.binarySearch(names, labels.get(i));
        }
        return new ClassLabels(classes, names);
    }

    private static Double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
