package io.trainsight.bench.insight;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import io.trainsight.bench.Interleaved;
import io.trainsight.bench.StepWindow;
import io.trainsight.bench.ThreadConfigs;
import io.trainsight.bench.trainer.MlpCase;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the step-vs-GPU insight costs: steps per second of the same training job with everything off
 * (the bare loop) and with everything on (the GPU monitor sampling every 50 ms, the correlation of
 * every step with its samples, the JVM and host signals of every step (GC pauses, the live NDArrays
 * of the model's manager tree, the host's load), the live diagnosis, and the streamed step log and
 * insight rows, each flushed per step), the two alternating in blocks inside one process; the
 * figure is the median over rounds of on ÷ off. The job is an overhead-bound MLP (784-256-10, batch
 * 64, Adam), where a fixed per-step cost shows most. The end-of-run summary and report are timed
 * apart.
 *
 * <p>Run: {@code benchmarks/run insight.OverheadBenchmark [--rounds R] [--steps N]}.
 */
public final class OverheadBenchmark {

    private static final int WARM_UP = 20;

    private final MlpCase mlp;
    private int threads;
    private final NDManager manager = NDManager.newBaseManager();
    private final ArrayDataset dataset;
    private long reportNanos;
    private Object censusCost;

    private OverheadBenchmark(MlpCase mlp) {
        this.mlp = mlp;
        this.dataset = mlp.dataset(manager);
    }

    public static void main(String[] args) throws Exception {
        int rounds = 61;
        int steps = 400;
        boolean split = false;
        String which = "small";
        String threadSetting = "auto";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--split" -> split = true;
                case "--case" -> which = args[++i];
                case "--threads" -> threadSetting = args[++i];
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument "
                                        + args[i]
                                        + "; valid: --rounds R, --steps N, --split, --case"
                                        + " small|large, --threads N|auto");
            }
        }
        MlpCase job =
                switch (which) {
                    case "small" -> new MlpCase("mlp-784-256-10-b64", 256, 64, steps);
                    case "large" -> new MlpCase("mlp-784-2048-10-b256", 2048, 256, steps);
                    default ->
                            throw new IllegalArgumentException(
                                    "--case " + which + ": valid: small, large");
                };
        OverheadBenchmark bench = new OverheadBenchmark(job);
        bench.threads = ThreadConfigs.parse(threadSetting).get(0);
        System.out.printf(
                Locale.ROOT,
                "== %s, %d steps per block (the first %d not timed), %d rounds, %d cores, libtorch"
                        + " %d intra-op thread(s) (reported: %d)%n",
                bench.mlp.name(),
                steps,
                WARM_UP,
                rounds,
                Runtime.getRuntime().availableProcessors(),
                bench.threads,
                ThreadConfigs.applyToJvm(bench.threads));
        Interleaved benchmark =
                new Interleaved(rounds)
                        .add("insight off", () -> bench.run(Mode.OFF))
                        .add("monitor + correlation + report on", () -> bench.run(Mode.ON));
        if (split) {
            benchmark
                    .add("monitor sampling only", () -> bench.run(Mode.MONITOR))
                    .add("step log + insight, no monitor", () -> bench.run(Mode.NO_MONITOR))
                    .add("step log only (no insight)", () -> bench.run(Mode.STEP_LOG));
        }
        Interleaved.Report report = benchmark.run(System.out);
        System.out.printf(
                Locale.ROOT,
                "steps/s with the insight on / off: %.3f (median of the per-round ratios)%n",
                report.ratios().get("monitor + correlation + report on"));
        System.out.printf(
                Locale.ROOT,
                "writing summary.json and report.html at the end: %.0f ms (last round)%n",
                bench.reportNanos / 1e6);
        System.out.printf(
                Locale.ROOT,
                "counting the live NDArrays: %s CPU us per step (last round, sampled)%n",
                bench.censusCost);
    }

    /** What a block switches on. */
    private enum Mode {
        OFF,
        ON,
        MONITOR,
        NO_MONITOR,
        STEP_LOG
    }

    private double run(Mode mode) throws Exception {
        Path dir = Files.createTempDirectory("bench-insight");
        try (Model model = mlp.newModel()) {
            StepWindow timer = new StepWindow(WARM_UP);
            TrainingLoopBuilder builder =
                    mlp.loop(model, dataset)
                            .optThreads(threads)
                            .addListener(timer)
                            .optProgressLog(false);
            if (mode == Mode.OFF || mode == Mode.MONITOR) {
                try (GpuMonitor monitor = GpuMonitor.builder().build();
                        TrainingLoop loop = builder.build()) {
                    if (mode == Mode.MONITOR) {
                        monitor.start();
                    }
                    loop.run();
                }
                return timer.stepsPerSecond();
            }
            if (mode == Mode.STEP_LOG) {
                try (StepLogWriter log = new StepLogWriter(dir.resolve(StepLogWriter.FILE_NAME));
                        TrainingLoop loop = builder.addListener(log).build()) {
                    loop.run();
                }
                return timer.stepsPerSecond();
            }
            builder.optRunDirectory(dir);
            if (mode == Mode.NO_MONITOR) {
                builder.optInsight(insight -> insight.optMonitoring(false));
            }
            try (TrainingLoop loop = builder.build()) {
                loop.run();
                if (mode == Mode.ON) {
                    reportNanos = timer.sinceLastStep();
                    censusCost =
                            loop.insight()
                                    .orElseThrow()
                                    .report()
                                    .environment()
                                    .get("ndarray_census_cpu_us_per_step");
                }
            }
            return timer.stepsPerSecond();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
