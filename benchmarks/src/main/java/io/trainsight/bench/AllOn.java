package io.trainsight.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.trainer.TrainingLoopBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Everything trainsight watches a run with, on one training loop: the GPU monitor sampling every 50
 * ms (the host probe without a GPU), the step-vs-sample correlation and live diagnosis, the
 * streamed step log with the insight columns, Micrometer meters, and summary.json and report.html
 * at the end, in a temporary run directory deleted on close.
 */
public final class AllOn implements AutoCloseable {

    private final Path dir;
    private final GpuMonitor monitor;
    private final StepLogWriter log;
    private final RunInsight insight;

    private AllOn(Path dir, GpuMonitor monitor, StepLogWriter log, RunInsight insight) {
        this.dir = dir;
        this.monitor = monitor;
        this.log = log;
        this.insight = insight;
    }

    /**
     * Attaches everything to a loop's builder and starts the monitor.
     *
     * @param builder the loop's builder
     * @param plannedSteps the steps the loop will take
     * @return the attachments; close them after the run
     * @throws IOException if the run directory cannot be made
     */
    public static AllOn attach(TrainingLoopBuilder builder, long plannedSteps) throws IOException {
        Path dir = Files.createTempDirectory("bench-all-on");
        GpuMonitor monitor = GpuMonitor.builder().build();
        StepLogWriter log = new StepLogWriter(dir.resolve(StepLogWriter.FILE_NAME));
        RunInsight insight =
                RunInsight.builder()
                        .setRunDirectory(dir)
                        .optMonitor(monitor)
                        .optPlannedSteps(plannedSteps)
                        .build();
        log.addColumns(insight.columns());
        builder.addListener(insight).addListener(log).optMeterRegistry(new SimpleMeterRegistry());
        monitor.start();
        return new AllOn(dir, monitor, log, insight);
    }

    /** Returns the run's insight, e.g. for its findings. */
    public RunInsight insight() {
        return insight;
    }

    @Override
    public void close() throws IOException {
        try {
            log.close();
            monitor.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
