package io.trainsight.deploy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.http.GpuExporter;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.trainer.metrics.TrainingMetrics;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code /metrics} serves for a training run on a GPU machine, produced in process: the
 * registry of an exporter over the fake NVML with one GPU (the monitor's meters and Micrometer's
 * JVM and process binders), with the trainer's meters ({@link TrainingMetrics}) bound to it as
 * {@code train --serve} does, after a few steps, scraped.
 */
final class MetricsScrape {

    private MetricsScrape() {}

    /** Returns the Prometheus text of the scrape. */
    static String text() {
        FakeNvml fake =
                FakeNvml.load(FakeNvml.Variant.CURRENT)
                        .devices(1)
                        .set(0, "util_gpu", 87)
                        .set(0, "mem_total", 80L << 30)
                        .set(0, "mem_used", 20L << 30)
                        .set(0, "power", 312_500)
                        .set(0, "power_limit", 700_000);
        try (GpuMonitor monitor =
                        GpuMonitor.builder().optNvmlLibrary(fake.path().toString()).build();
                GpuExporter exporter = GpuExporter.builder().setMonitor(monitor).build()) {
            PrometheusMeterRegistry registry = exporter.registry();
            TrainingMetrics training = new TrainingMetrics();
            training.bindTo(registry);
            trainThreeSteps(training);
            monitor.sampleNow();
            return registry.scrape();
        }
    }

    private static void trainThreeSteps(TrainingMetrics training) {
        long ms = 1_000_000;
        for (int step = 1; step <= 3; step++) {
            long start = step * 10 * ms;
            training.onStep(
                    new StepRecord(
                            step,
                            1,
                            start,
                            start + 8 * ms,
                            2 * ms,
                            3 * ms,
                            2 * ms,
                            ms,
                            2.5f / step,
                            32,
                            1,
                            65536f,
                            4.2f,
                            step == 1));
        }
    }

    /** Returns the names of the samples in a scrape ({@code name{labels} value} lines). */
    static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
