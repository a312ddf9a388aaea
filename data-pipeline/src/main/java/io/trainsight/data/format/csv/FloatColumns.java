package io.trainsight.data.format.csv;

import java.util.Arrays;

/** A growing array of floats, row after row, without boxing. */
final class FloatColumns {

    private float[] values;
    private int size;

    FloatColumns(int width) {
        values = new float[Math.max(16, width * 64)];
    }

    void add(float value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    float[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
