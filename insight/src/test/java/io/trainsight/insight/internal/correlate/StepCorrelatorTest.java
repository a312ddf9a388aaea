package io.trainsight.insight.internal.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.SampleRing;
import io.trainsight.gpu.SampleView;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The join of steps and samples, on samples taken by hand with known values and times. */
class StepCorrelatorTest {

    private final OneGpuProbe probe = new OneGpuProbe();
    private GpuMonitor monitor;

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
    }

    private StepCorrelator correlator(int capacity) {
        monitor = GpuMonitor.builder().addProbe(probe).optCapacity(capacity).build();
        return new StepCorrelator(
                monitor.ring(), List.of(new GpuChannel(monitor.devices().get(0))), null);
    }

    /** Takes a sample with these values; returns its time. */
    private long sample(long util, long memory, long energyMillijoules, long throttle)
            throws InterruptedException {
        probe.set(GpuMetric.UTILIZATION_GPU, util)
                .set(GpuMetric.MEMORY_USED, memory)
                .set(GpuMetric.MEMORY_TOTAL, 1000)
                .set(GpuMetric.POWER_USAGE, util * 1000)
                .set(GpuMetric.ENERGY, energyMillijoules)
                .set(GpuMetric.CLOCK_SM, 1500)
                .set(GpuMetric.THROTTLE_REASONS, throttle);
        Thread.sleep(2);
        monitor.sampleNow();
        SampleRing ring = monitor.ring();
        SampleView view = ring.newView();
        assertThat(ring.read(ring.count() - 1, view)).isTrue();
        Thread.sleep(2);
        return view.nanoTime();
    }

    private static StepRecord step(long step, long start, long end, long wait) {
        return new StepRecord(step, 1, start, end, wait, 0, 0, 0, 1f, 8, 1, 1f, Float.NaN, false);
    }

    @Test
    void summarisesTheSamplesInsideTheStep() throws InterruptedException {
        StepCorrelator correlator = correlator(64);
        long before = sample(0, 100, 10_000, 0);
        correlator.onTrainingBegin(RunStart.at(before));
        long a = sample(20, 300, 10_500, 0);
        long b = sample(60, 700, 11_500, 0x4);
        long c = sample(40, 500, 12_000, 0);
        long after = sample(90, 900, 13_000, 0);

        StepRecord record = step(1, a - 1, c + 1, b - a);
        StepInsight insight = correlator.correlate(record).get(0);

        assertThat(insight.samples()).isEqualTo(3);
        assertThat(insight.nearest()).isFalse();
        assertThat(insight.utilMean()).isEqualTo(40.0);
        assertThat(insight.utilMin()).isEqualTo(20.0);
        assertThat(insight.utilDuringWait()).as("only a falls in the wait").isEqualTo(20.0);
        assertThat(insight.memoryPeak()).isEqualTo(700);
        assertThat(insight.memoryCapacity()).isEqualTo(1000);
        assertThat(insight.headroom()).isEqualTo(300);
        assertThat(insight.powerMean()).isEqualTo(40.0);
        assertThat(insight.smClockMhz()).isEqualTo(1500.0);
        assertThat(insight.throttleMask()).isEqualTo(0x4);
        // 2000 mJ over the time from the sample before a to c, at that rate for the step
        double rate = 2000.0 / (c - before);
        assertThat(insight.energyJoules())
                .isCloseTo(rate * record.durationNanos() / 1000, within(1e-9));

        // The sample after the step is the next step's.
        StepInsight next = correlator.correlate(step(2, c + 2, after + 1, 0)).get(0);
        assertThat(next.samples()).isEqualTo(1);
        assertThat(next.utilMean()).isEqualTo(90.0);
    }

    @Test
    void aStepShorterThanTheSamplingPeriodGetsTheNearestSample() throws InterruptedException {
        StepCorrelator correlator = correlator(64);
        long early = sample(10, 100, 0, 0);
        long late = sample(80, 800, 0, 0);
        correlator.onTrainingBegin(RunStart.at(early - 1));

        // Just before `late`: nearer to it than to `early`, but the step ends first.
        StepInsight first = correlator.correlate(step(1, late - 1000, late - 10, 0)).get(0);
        assertThat(first.samples()).isZero();
        assertThat(first.nearest()).isTrue();
        assertThat(first.utilMean()).isEqualTo(80.0);
        assertThat(first.memoryPeak()).isEqualTo(800);

        // Just after `early` with nothing yet after it: the last sample before.
        StepCorrelator other = correlator;
        StepInsight second = other.correlate(step(2, late + 10, late + 20, 0)).get(0);
        assertThat(second.nearest()).isTrue();
        assertThat(second.utilMean()).isEqualTo(80.0);
    }

    @Test
    void eachStepReadsOnlyTheSamplesSinceThePreviousStep() throws InterruptedException {
        StepCorrelator correlator = correlator(16);
        List<Long> times = new ArrayList<>();
        correlator.onTrainingBegin(RunStart.at(System.nanoTime()));
        for (int i = 0; i < 40; i++) {
            times.add(sample(i, i, 0, 0));
            long t = times.get(i);
            StepInsight insight = correlator.correlate(step(i + 1, t - 1, t + 1, 0)).get(0);
            assertThat(insight.samples()).as("step %d", i + 1).isEqualTo(1);
            assertThat(insight.utilMean()).isEqualTo(i);
        }
        assertThat(correlator.missedSamples()).isZero();
    }

    @Test
    void samplesOverwrittenBeforeTheyWereReadAreCounted() throws InterruptedException {
        StepCorrelator correlator = correlator(4);
        correlator.onTrainingBegin(RunStart.at(System.nanoTime()));
        long first = 0;
        long last = 0;
        for (int i = 0; i < 10; i++) {
            long t = sample(i, i, 0, 0);
            first = i == 0 ? t : first;
            last = t;
        }
        StepInsight insight = correlator.correlate(step(1, first - 1, last + 1, 0)).get(0);
        // A ring of 4 keeps 3 readable samples (the fourth slot is the next one written).
        assertThat(correlator.missedSamples()).isEqualTo(7);
        assertThat(insight.samples()).isEqualTo(3);
        assertThat(insight.utilMin()).isEqualTo(7.0);
    }

    @Test
    void theHostStandsInForAGpu() {
        HostChannel host = new HostChannel(4, MemoryLimit.parse("2g", "--memory-limit"));
        assertThat(host.id()).isEqualTo("host");
        assertThat(host.describe())
                .isEqualTo(
                        "host (no GPU): process CPU of 4 core(s) for utilisation, resident memory"
                                + " against 2.0 GiB (--memory-limit)");
        assertThat(MemoryLimit.parse("512m", "x").bytes()).isEqualTo(512L << 20);
        assertThat(MemoryLimit.parse("1.5GiB", "x").bytes()).isEqualTo(3L << 29);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemoryLimit.parse("lots", "x"))
                .hasMessageContaining("'lots' is not a size");
    }
}
