package io.trainsight.data.format;

import java.nio.file.Path;

/**
 * Options of the file readers, each used by the formats it concerns. Build with {@link #builder()};
 * {@link #defaults()} has every default.
 *
 * @param labelColumn CSV: the name of the label column (default {@code label})
 * @param delimiter CSV: the field separator, or 0 to choose by extension ({@code .tsv}/{@code
 *     .tab}: tab, otherwise comma)
 * @param imageHeight images: the height every image is resized to (default 32)
 * @param imageWidth images: the width every image is resized to (default 32)
 * @param grayscale images: one channel instead of three (default false)
 * @param labelsFile IDX: the labels file, or {@code null} to find it beside the images file
 * @param batchSize the batch size of DJL's own iteration ({@code getData}); the trainsight loader
 *     has its own (default 32)
 * @param shuffle whether DJL's own iteration shuffles (default false)
 */
public record FormatOptions(
        String labelColumn,
        char delimiter,
        int imageHeight,
        int imageWidth,
        boolean grayscale,
        Path labelsFile,
        int batchSize,
        boolean shuffle) {

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException naming the first invalid option
     */
    public FormatOptions {
        if (labelColumn == null || labelColumn.isBlank()) {
            throw new IllegalArgumentException(
                    "labelColumn must name a column, got '" + labelColumn + "'");
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException(
                    "delimiter cannot be a quote or a line break, got "
                            + (int) delimiter
                            + " (use ',', '\\t', ';' or similar)");
        }
        if (imageHeight < 1 || imageWidth < 1) {
            throw new IllegalArgumentException(
                    "image size must be at least 1×1 pixels, got "
                            + imageHeight
                            + "×"
                            + imageWidth);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    "batchSize must be a positive number, got " + batchSize);
        }
    }

    /** Returns the options with every default. */
    public static FormatOptions defaults() {
        return builder().build();
    }

    /** Returns a builder, starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link FormatOptions}, in DJL's builder vocabulary. */
    public static final class Builder {
        private String labelColumn = "label";
        private char delimiter;
        private int imageHeight = 32;
        private int imageWidth = 32;
        private boolean grayscale;
        private Path labelsFile;
        private int batchSize = 32;
        private boolean shuffle;

        private Builder() {}

        /**
         * Sets the CSV column holding the labels.
         *
         * @param labelColumn a column name from the header
         * @return this builder
         */
        public Builder optLabelColumn(String labelColumn) {
            this.labelColumn = labelColumn;
            return this;
        }

        /**
         * Sets the CSV field separator.
         *
         * @param delimiter a character such as {@code ','}, {@code '\t'} or {@code ';'}
         * @return this builder
         */
        public Builder optDelimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /**
         * Sets the size every image is resized to.
         *
         * @param height pixels, 1 or more
         * @param width pixels, 1 or more
         * @return this builder
         */
        public Builder optImageSize(int height, int width) {
            this.imageHeight = height;
            this.imageWidth = width;
            return this;
        }

        /**
         * Sets whether images are read as one gray channel rather than red, green and blue.
         *
         * @param grayscale whether to use one channel
         * @return this builder
         */
        public Builder optGrayscale(boolean grayscale) {
            this.grayscale = grayscale;
            return this;
        }

        /**
         * Sets the IDX labels file, when it is not beside the images file under the usual name.
         *
         * @param labelsFile an IDX file of one dimension
         * @return this builder
         */
        public Builder optLabelsFile(Path labelsFile) {
            this.labelsFile = labelsFile;
            return this;
        }

        /**
         * Sets how DJL's own {@code getData} iterates the data set (the trainsight loader ignores
         * it and uses its own options).
         *
         * @param batchSize samples per batch, 1 or more
         * @param shuffle whether to shuffle
         * @return this builder
         */
        public Builder optSampling(int batchSize, boolean shuffle) {
            this.batchSize = batchSize;
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the first invalid option
         */
        public FormatOptions build() {
            return new FormatOptions(
                    labelColumn,
                    delimiter,
                    imageHeight,
                    imageWidth,
                    grayscale,
                    labelsFile,
                    batchSize,
                    shuffle);
        }
    }
}
