package io.trainsight.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trainsight.trainer.TrainingLoopBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Everything trainsight watches a run with, on one training loop: {@code optRunDirectory} (the
 * monitor sampling every 50 ms, the host probe without a GPU; the step-vs-sample correlation and
 * live diagnosis; the streamed step log; summary.json and report.html at the end) and Micrometer
 * meters, in a temporary run directory deleted on close.
 */
public final class AllOn implements AutoCloseable {

    private final Path dir;

    private AllOn(Path dir) {
        this.dir = dir;
    }

    /**
     * Attaches everything to a loop's builder.
     *
     * @param builder the loop's builder
     * @return the attachment; close it after the run
     * @throws IOException if the run directory cannot be made
     */
    public static AllOn attach(TrainingLoopBuilder builder) throws IOException {
        Path dir = Files.createTempDirectory("bench-all-on");
        builder.optRunDirectory(dir).optMeterRegistry(new SimpleMeterRegistry());
        return new AllOn(dir);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
