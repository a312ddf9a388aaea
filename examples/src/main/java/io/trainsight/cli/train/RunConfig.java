package io.trainsight.cli.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trainsight.data.format.DataFormats;
import io.trainsight.examples.Examples;
import io.trainsight.insight.internal.storage.AtomicFiles;
import io.trainsight.trainer.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The configuration of a {@code trainsight train} run, saved as {@code run.json} in the run
 * directory so {@code --resume} continues with exactly the same settings.
 *
 * @param example the example trained
 * @param steps the step budget, or null
 * @param epochs the epoch budget, or null
 * @param batchSize the batch size (of a micro-batch when accumulating)
 * @param learningRate the learning rate
 * @param seed the seed
 * @param precision {@code fp32} or {@code fp16}
 * @param accumulate the micro-batches per optimizer step
 * @param clipNorm the global-norm clipping limit, or null
 * @param clipValue the value clipping limit, or null
 * @param checkpointEvery the checkpoint interval in steps, 0 for only at the end
 * @param keepCheckpoints how many checkpoints to keep
 * @param data the data file or folder, or null for the example's generated data
 * @param format the format of the data file, or null
 * @param labelColumn the label column of a CSV file
 * @param imageSize the side images are resized to
 * @param heldOut the share of file data held out for the summary's evaluation, 0 with a test set
 * @param testData the test set the summary evaluates on, or null to hold part of the data out
 */
record RunConfig(
        String example,
        Long steps,
        Integer epochs,
        int batchSize,
        float learningRate,
        long seed,
        String precision,
        int accumulate,
        Float clipNorm,
        Float clipValue,
        int checkpointEvery,
        int keepCheckpoints,
        String data,
        String format,
        String labelColumn,
        int imageSize,
        double heldOut,
        String testData) {

    /** The file name inside a run directory. */
    static final String FILE_NAME = "run.json";

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /**
     * Writes the configuration atomically into a run directory.
     *
     * @param runDir the run directory
     * @throws IOException if it cannot be written
     */
    void write(Path runDir) throws IOException {
        AtomicFiles.write(runDir.resolve(FILE_NAME), out -> JSON.writeValue(out, this));
    }

    /**
     * Reads the configuration of a run directory.
     *
     * @param runDir the run directory
     * @return the configuration
     * @throws IOException if there is none or it cannot be read
     */
    static RunConfig read(Path runDir) throws IOException {
        return JSON.readValue(runDir.resolve(FILE_NAME).toFile(), RunConfig.class);
    }

    /**
     * Checks the values of a configuration read back from a file, which anyone may have edited.
     *
     * @return null when every value is valid, else the first wrong one named as run.json names it
     *     and what would be valid
     */
    String problem() {
        if (example == null || Examples.builtIn().find(example).isEmpty()) {
            return value("example", example, "one of " + Examples.builtIn().names());
        }
        if (steps == null && epochs == null) {
            return "it has neither steps nor epochs; give one, a positive number";
        }
        if (steps != null && steps <= 0) {
            return value("steps", steps, "a positive number of steps");
        }
        if (epochs != null && epochs <= 0) {
            return value("epochs", epochs, "a positive number of epochs");
        }
        if (batchSize <= 0) {
            return value("batchSize", batchSize, "a positive number of samples");
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            return value("learningRate", learningRate, "a positive finite number");
        }
        try {
            Precision.of(precision).checkSupported();
        } catch (IllegalArgumentException | NullPointerException e) {
            return value("precision", precision, "fp32 or fp16");
        }
        if (accumulate < 1) {
            return value("accumulate", accumulate, "1 or more micro-batches");
        }
        if (clipNorm != null && (!(clipNorm > 0) || Float.isInfinite(clipNorm))) {
            return value("clipNorm", clipNorm, "a positive finite number, or null");
        }
        if (clipValue != null && (!(clipValue > 0) || Float.isInfinite(clipValue))) {
            return value("clipValue", clipValue, "a positive finite number, or null");
        }
        if (checkpointEvery < 0) {
            return value("checkpointEvery", checkpointEvery, "0 or a positive number of steps");
        }
        if (keepCheckpoints < 1) {
            return value("keepCheckpoints", keepCheckpoints, "1 or more");
        }
        if (data != null
                && (format == null
                        || !DataFormats.NAMES.contains(format.toLowerCase(Locale.ROOT)))) {
            return value("format", format, "one of " + DataFormats.NAMES);
        }
        if (imageSize < 1 || imageSize > 4096) {
            return value("imageSize", imageSize, "1 to 4096 pixels");
        }
        if (!(heldOut > 0 && heldOut < 1)) {
            return value("heldOut", heldOut, "a share between 0 and 1 (exclusive)");
        }
        return null;
    }

    private static String value(String name, Object value, String valid) {
        return "\"" + name + "\" is " + value + "; valid: " + valid;
    }

    /**
     * Returns the configuration by name, as run.json holds it, for summary.json.
     *
     * @return the settings
     */
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> asMap() {
        return JSON.convertValue(this, java.util.LinkedHashMap.class);
    }

    /** Returns a copy with another budget. */
    RunConfig withBudget(Long newSteps, Integer newEpochs) {
        return new RunConfig(
                example,
                newSteps,
                newEpochs,
                batchSize,
                learningRate,
                seed,
                precision,
                accumulate,
                clipNorm,
                clipValue,
                checkpointEvery,
                keepCheckpoints,
                data,
                format,
                labelColumn,
                imageSize,
                heldOut,
                testData);
    }
}
