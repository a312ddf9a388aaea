package io.trainsight.bench.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.trainsight.bench.Interleaved;
import io.trainsight.data.DataLoader;
import io.trainsight.data.EpochIterator;
import io.trainsight.data.LoadedBatch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How well loaders hide a fixed per-sample load time behind a fixed compute time: batches of 32
 * samples that each take 2 ms to load (a sleep, then a real PNG decode), consumed by a loop that is
 * busy for 5 ms per batch. Contenders: (a) no prefetch (DJL's plain {@code getData}), (b) DJL's
 * {@code getData(manager, executor)} with a fixed pool of w threads and a prefetch number of 2w,
 * (c) the trainsight loader with w workers and prefetch factor 2 (2w batches in flight). Each block
 * is one epoch sized to last about {@code --seconds} at the ideal rate, started cold (the fill of
 * the pipeline is counted); the contenders alternate in rounds and the medians are reported.
 *
 * <p>Efficiency = throughput ÷ ideal. For the sleep, ideal = min(w ÷ T, 1 ÷ c), with T = 64 ms the
 * nominal load time of a batch and c = 5 ms the compute time. For the decode, the loaders and the
 * compute loop share the cores: ideal = min(w ÷ T, cores ÷ (T + c), 1 ÷ c), with T measured (32
 * decodes on one thread). For (a), ideal = 1 ÷ (T + c).
 *
 * <p>Usage: {@code benchmarks/run data.LoaderBenchmark [--rounds N] [--seconds S] [--workload
 * sleep|decode|both]}
 */
public final class LoaderBenchmark {

    private static final int BATCH = 32;
    private static final long SAMPLE_NANOS = 2_000_000;
    private static final long COMPUTE_NANOS = 5_000_000;
    private static final int[] WORKERS = {1, 2, 4, 8};
    private static final Shape SLEEP_SHAPE = new Shape(784);

    private final int rounds;
    private final double seconds;
    private final PrintStream out = System.out;
    private final List<String> tables = new ArrayList<>();

    private LoaderBenchmark(int rounds, double seconds) {
        this.rounds = rounds;
        this.seconds = seconds;
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --rounds N} (5), {@code --seconds S} (2.0), {@code --workload
     *     sleep|decode|both} (both)
     * @throws Exception if a contender fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = 5;
        double seconds = 2.0;
        String workload = "both";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--workload" -> workload = args[i + 1];
                default ->
                        throw new IllegalArgumentException(
                                "unknown option "
                                        + args[i]
                                        + "; valid: --rounds, --seconds, --workload");
            }
        }
        LoaderBenchmark bench = new LoaderBenchmark(rounds, seconds);
        bench.out.printf(
                Locale.ROOT,
                "LoaderBenchmark: %d cores, Java %s, %s %s; batch %d, %.0f ms per sample, %.0f ms"
                        + " compute per batch, %d rounds%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                BATCH,
                SAMPLE_NANOS / 1e6,
                COMPUTE_NANOS / 1e6,
                rounds);
        try (NDManager warm = NDManager.newBaseManager()) {
            warm.zeros(new Shape(1)).close(); // load the engine before timing anything
        }
        if (!workload.equals("decode")) {
            bench.sleepWorkload();
        }
        if (!workload.equals("sleep")) {
            bench.decodeWorkload();
        }
        bench.tables.forEach(bench.out::println);
    }

    private void sleepWorkload() throws Exception {
        float[] zeros = new float[(int) SLEEP_SHAPE.size()];
        TimedDataset.Load sleep =
                index -> {
                    try {
                        Thread.sleep(SAMPLE_NANOS / 1_000_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return zeros;
                };
        out.printf(Locale.ROOT, "%nsleep workload: Thread.sleep(2) per sample%n");
        run("sleep 2 ms", sleep, SLEEP_SHAPE, false);
    }

    private void decodeWorkload() throws Exception {
        DecodeWorkload decode = DecodeWorkload.calibrate(SAMPLE_NANOS);
        Shape shape = new Shape(3, 32, 32);
        out.printf(
                Locale.ROOT,
                "%ndecode workload: %d×%d PNG decoded and resized to 32×32 in %.2f ms (median"
                        + " on one thread, calibrated)%n",
                decode.side(),
                decode.side(),
                decode.measureNanos() / 1e6);
        run("PNG decode", decode::sample, new Shape(3, 32, 32), true);
    }

    /**
     * Runs the contenders on one workload. The batch load time T of the ideal is nominal (64 ms)
     * for a sleep, and for real work the median time (a) spends in {@code next()}, where each batch
     * loads on the consumer's thread while nothing else runs.
     */
    private void run(String workload, TimedDataset.Load load, Shape shape, boolean cpu)
            throws Exception {
        double compute = COMPUTE_NANOS / 1e9;
        double nominal = BATCH * SAMPLE_NANOS / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, List<Double>> measured = new LinkedHashMap<>();
        List<Double> loads = new ArrayList<>();
        Interleaved bench = new Interleaved(rounds);
        String serial = "(a) no prefetch";
        long serialBatches = batches(1 / (nominal + compute));
        add(bench, measured, serial, () -> djl(load, shape, 0, serialBatches, loads));
        Map<String, Integer> workers = new LinkedHashMap<>();
        for (String kind : List.of("(b) DJL getData", "(c) trainsight")) {
            for (int w : WORKERS) {
                String name =
                        String.format(Locale.ROOT, "%s, %d worker%s", kind, w, w > 1 ? "s" : "");
                workers.put(name, w);
                double rate = Math.min(w / nominal, 1 / compute);
                // Each block lasts about --seconds at the ideal rate.
                long batches = batches(cpu ? Math.min(rate, cores / (nominal + compute)) : rate);
                add(
                        bench,
                        measured,
                        name,
                        kind.startsWith("(b)")
                                ? () -> djl(load, shape, w, batches, null)
                                : () -> trainsight(load, shape, w, batches));
            }
        }
        out.printf(Locale.ROOT, "%n%s: %d rounds%n", workload, rounds);
        Interleaved.Report report = bench.run(out);
        double measuredLoad = Interleaved.median(loads.stream().mapToDouble(d -> d).toArray());
        double batchLoad = cpu ? measuredLoad : nominal;
        Map<String, Double> ideal = new LinkedHashMap<>();
        ideal.put(serial, 1 / (batchLoad + compute));
        workers.forEach(
                (name, w) -> {
                    double rate = Math.min(w / batchLoad, 1 / compute);
                    ideal.put(name, cpu ? Math.min(rate, cores / (batchLoad + compute)) : rate);
                });
        tables.add(
                table(workload, report, ideal, measured)
                        + String.format(
                                Locale.ROOT,
                                "batch load time T: measured %.1f ms on one thread, %.1f ms used"
                                        + " for the ideal%n",
                                measuredLoad * 1e3,
                                batchLoad * 1e3));
    }

    private static void add(
            Interleaved bench,
            Map<String, List<Double>> measured,
            String name,
            Interleaved.Block block) {
        List<Double> results = new ArrayList<>();
        measured.put(name, results);
        bench.add(
                name,
                () -> {
                    double rate = block.run();
                    results.add(rate);
                    return rate;
                });
    }

    private String table(
            String workload,
            Interleaved.Report report,
            Map<String, Double> ideal,
            Map<String, List<Double>> measured) {
        StringBuilder table = new StringBuilder();
        table.append(
                String.format(
                        Locale.ROOT,
                        "%n%s, batch %d, 5 ms compute, medians of %d rounds%n| contender |"
                                + " batches/s | ideal | efficiency | ÷ (b) at same w |%n"
                                + "|---|---:|---:|---:|---:|%n",
                        workload,
                        BATCH,
                        rounds));
        for (Map.Entry<String, Double> entry : ideal.entrySet()) {
            String name = entry.getKey();
            double median = report.medians().get(name);
            String versus = "";
            if (name.startsWith("(c)")) {
                List<Double> ours = measured.get(name);
                List<Double> theirs =
                        measured.get(name.replace("(c) trainsight", "(b) DJL getData"));
                double[] ratios = new double[ours.size()];
                for (int r = 0; r < ratios.length; r++) {
                    ratios[r] = ours.get(r) / theirs.get(r);
                }
                versus = String.format(Locale.ROOT, "%.2f", Interleaved.median(ratios));
            }
            table.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.1f | %.1f | %.2f | %s |%n",
                            name,
                            median,
                            entry.getValue(),
                            median / entry.getValue(),
                            versus));
        }
        return table.toString();
    }

    private long batches(double rate) {
        return Math.max(16, Math.round(rate * seconds));
    }

    /**
     * DJL's own iteration: plain with 0 threads, else with a pool and 2 × threads prefetched. With
     * 0 threads each batch loads on this thread, and its load time is added to {@code loads}.
     */
    private static double djl(
            TimedDataset.Load load, Shape shape, int threads, long batches, List<Double> loads)
            throws Exception {
        TimedDataset dataset =
                new TimedDataset(batches * BATCH, shape, load, BATCH, Math.max(1, 2 * threads));
        ExecutorService pool = threads == 0 ? null : Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long count = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            Iterable<Batch> iterable =
                    pool == null ? dataset.getData(manager) : dataset.getData(manager, pool);
            Iterator<Batch> iterator = iterable.iterator();
            while (true) {
                long asked = System.nanoTime();
                if (!iterator.hasNext()) {
                    break;
                }
                Batch batch = iterator.next();
                if (pool == null) {
                    loads.add((System.nanoTime() - asked) / 1e9);
                }
                compute();
                batch.close();
                count++;
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double trainsight(TimedDataset.Load load, Shape shape, int workers, long batches)
            throws Exception {
        TimedDataset dataset = new TimedDataset(batches * BATCH, shape, load, BATCH, 1);
        long start = System.nanoTime();
        long count = 0;
        try (DataLoader loader =
                        DataLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(BATCH)
                                .optNumWorkers(workers)
                                .optPrefetchFactor(2)
                                .build();
                EpochIterator epoch = loader.epoch(0)) {
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    compute();
                    count++;
                }
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** The training step's stand-in: 5 ms of busy CPU. */
    private static void compute() {
        long end = System.nanoTime() + COMPUTE_NANOS;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
