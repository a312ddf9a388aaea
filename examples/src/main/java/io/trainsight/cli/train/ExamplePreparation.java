package io.trainsight.cli.train;

import io.trainsight.data.format.FormatOptions;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleData;
import io.trainsight.examples.ExampleRun;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.data.FileData;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParameterException;

/** Builds an example's model and data; wrong data is the user's input, so a usage error. */
final class ExamplePreparation {

    private static final Logger logger = LoggerFactory.getLogger(ExamplePreparation.class);

    private ExamplePreparation() {}

    static ExampleRun prepare(
            Example example,
            ExampleSettings settings,
            RunConfig config,
            Function<String, ParameterException> usage)
            throws IOException {
        ExampleData data;
        if (config.data() == null) {
            data = example.generate(settings);
        } else {
            try {
                data =
                        FileData.open(
                                Paths.get(config.data()),
                                config.format(),
                                FormatOptions.builder()
                                        .optLabelColumn(config.labelColumn())
                                        .optImageSize(config.imageSize(), config.imageSize())
                                        .optSampling(config.batchSize(), false)
                                        .build(),
                                config.heldOut(),
                                config.seed());
            } catch (IOException | IllegalArgumentException e) {
                throw usage.apply("--data: " + e.getMessage());
            }
        }
        try {
            return ExampleRun.of(example, settings, data);
        } catch (IllegalArgumentException e) {
            closeQuietly(data);
            throw usage.apply("--example " + example.name() + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            logger.debug("Cannot close {}", resource, e);
        }
    }
}
