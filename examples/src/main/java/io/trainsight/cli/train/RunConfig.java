package io.trainsight.cli.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trainsight.insight.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

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
