package io.trainsight.data.format.csv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.trainsight.data.BatchArrays;
import io.trainsight.data.GatheringDataset;
import io.trainsight.data.format.DatasetInfo;
import io.trainsight.data.format.FileDataset;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.MalformedDataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CSV or TSV file with a header line: one column holds the labels (chosen by name), every other
 * column is a numeric feature. A sample is a float32 vector of the features, its label the class
 * number as a float32 scalar (see {@link ClassLabels} for how labels become classes). Blank lines
 * are skipped; the whole file is read and checked when it is opened.
 */
public final class CsvDataset extends FileDataset implements GatheringDataset {

    private final float[] features;
    private final float[] labels;
    private final int width;
    private final DatasetInfo info;

    private CsvDataset(
            FormatOptions options, float[] features, float[] labels, int width, DatasetInfo info) {
        super(options);
        this.features = features;
        this.labels = labels;
        this.width = width;
        this.info = info;
    }

    /**
     * Reads and checks a file.
     *
     * @param file a CSV or TSV file with a header
     * @param options the label column and delimiter
     * @return the data set
     * @throws MalformedDataException naming the line and column of the first problem
     * @throws IOException if the file cannot be read
     */
    public static CsvDataset open(Path file, FormatOptions options) throws IOException {
        return open(file, options, BoundedLines.MAX_LINE_CHARS);
    }

    static CsvDataset open(Path file, FormatOptions options, int maxLineChars) throws IOException {
        char delimiter = options.delimiter() != 0 ? options.delimiter() : delimiterFor(file);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            BoundedLines reader = new BoundedLines(in, file, maxLineChars);
            long lineNumber = 0;
            String line;
            do {
                line = reader.next();
                lineNumber++;
            } while (line != null && line.isBlank());
            if (line == null) {
                throw new MalformedDataException(
                        file,
                        "the file is empty; a CSV file starts with a header naming its columns");
            }
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark
            }
            List<String> header = CsvLine.split(line, delimiter, file, lineNumber);
            int labelIndex = labelIndex(header, options.labelColumn(), file, lineNumber);
            int width = header.size() - 1;
            FloatColumns rows = new FloatColumns(width);
            List<String> labelTexts = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            while ((line = reader.next()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = CsvLine.split(line, delimiter, file, lineNumber);
                if (fields.size() != header.size()) {
                    throw new MalformedDataException(
                            file,
                            "line "
                                    + lineNumber
                                    + " has "
                                    + fields.size()
                                    + " fields, but the header has "
                                    + header.size()
                                    + " (delimiter '"
                                    + printable(delimiter)
                                    + "')");
                }
                for (int c = 0; c < fields.size(); c++) {
                    if (c != labelIndex) {
                        rows.add(number(fields.get(c), header.get(c), c, lineNumber, file));
                    }
                }
                labelTexts.add(fields.get(labelIndex));
                lines.add(lineNumber);
            }
            if (labelTexts.isEmpty()) {
                throw new MalformedDataException(
                        file, "line " + (lineNumber + 1) + ": the header is followed by no rows");
            }
            ClassLabels classes =
                    ClassLabels.of(
                            labelTexts,
                            lines.stream().mapToLong(Long::longValue).toArray(),
                            options.labelColumn(),
                            file);
            DatasetInfo info =
                    new DatasetInfo(
                            file, "csv", labelTexts.size(), new Shape(width), classes.names());
            return new CsvDataset(options, rows.toArray(), classes.classes(), width, info);
        }
    }

    @Override
    public Record get(NDManager manager, long index) {
        int row = Math.toIntExact(index);
        float[] sample = new float[width];
        System.arraycopy(features, row * width, sample, 0, width);
        return new Record(
                new NDList(manager.create(sample, new Shape(width))),
                new NDList(manager.create(labels[row])));
    }

    @Override
    public Record getBatch(NDManager manager, long[] indices) {
        int n = indices.length;
        float[] batchLabels = new float[n];
        NDArray batch =
                BatchArrays.write(
                        manager,
                        new Shape(n, width),
                        DataType.FLOAT32,
                        bytes -> {
                            FloatBuffer rows = bytes.asFloatBuffer();
                            for (int i = 0; i < n; i++) {
                                int row = Math.toIntExact(indices[i]);
                                rows.put(i * width, features, row * width, width);
                                batchLabels[i] = labels[row];
                            }
                        });
        return new Record(
                new NDList(batch), new NDList(BatchArrays.of(manager, batchLabels, new Shape(n))));
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    private static char delimiterFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tsv") || name.endsWith(".tab") ? '\t' : ',';
    }

    private static int labelIndex(List<String> header, String label, Path file, long line)
            throws MalformedDataException {
        Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (name.isEmpty()) {
                throw new MalformedDataException(
                        file,
                        "line " + line + ", column " + (c + 1) + ": the header names no column");
            }
            Integer before = seen.put(name, c);
            if (before != null) {
                throw new MalformedDataException(
                        file,
                        "line "
                                + line
                                + ": the header names column '"
                                + name
                                + "' twice (columns "
                                + (before + 1)
                                + " and "
                                + (c + 1)
                                + ")");
            }
        }
        Integer index = seen.get(label);
        if (index == null) {
            throw new MalformedDataException(
                    file,
                    "line "
                            + line
                            + ": the header has no column '"
                            + label
                            + "' for the labels; its columns are "
                            + String.join(", ", header)
                            + " (choose the label column by name)");
        }
        if (header.size() < 2) {
            throw new MalformedDataException(
                    file, "line " + line + ": the header names the label column and no feature");
        }
        return index;
    }

    private static float number(String text, String column, int c, long line, Path file)
            throws MalformedDataException {
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            value = Float.NaN;
        }
        if (!Float.isFinite(value)) {
            throw new MalformedDataException(
                    file,
                    "line "
                            + line
                            + ", column "
                            + (c + 1)
                            + " ('"
                            + column
                            + "'): '"
                            + text
                            + "' is not a finite number; every column but the label is a numeric"
                            + " feature");
        }
        return value;
    }

    private static String printable(char delimiter) {
        return delimiter == '\t' ? "\\t" : String.valueOf(delimiter);
    }
}
