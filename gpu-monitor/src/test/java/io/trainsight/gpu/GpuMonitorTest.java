package io.trainsight.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The sampler and the monitor's life cycle, with scripted probes. */
class GpuMonitorTest {

    private final List<MonitorEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void eachProbeWritesItsOwnGpusIntoOneSample() {
        ScriptedProbe first = new ScriptedProbe(2, 100, false);
        ScriptedProbe second = new ScriptedProbe(1, 500, true);
        try (GpuMonitor monitor = GpuMonitor.builder().addProbe(first).addProbe(second).build()) {
            monitor.sampleNow();
            monitor.sampleNow();
            Snapshot snapshot = monitor.latest().orElseThrow();

            assertThat(snapshot.sequence()).isEqualTo(1);
            assertThat(monitor.devices())
                    .extracting(DeviceInfo::index, DeviceInfo::uuid)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(0, "GPU-scripted-100-0"),
                            org.assertj.core.groups.Tuple.tuple(1, "GPU-scripted-100-1"),
                            org.assertj.core.groups.Tuple.tuple(2, "GPU-scripted-500-0"));
            assertThat(snapshot.gpus().get(1).get(GpuMetric.TEMPERATURE)).hasValue(101);
            assertThat(snapshot.gpus().get(2).get(GpuMetric.TEMPERATURE)).hasValue(501);
            assertThat(snapshot.host().get(HostMetric.PROCESS_RSS)).hasValue(501);
        }
        assertThat(first.closed()).isTrue();
        assertThat(second.closed()).isTrue();
    }

    @Test
    void aProbeThatThrowsIsReportedOnceAndTheOthersGoOn() {
        ScriptedProbe failing = new ScriptedProbe(1, 100, false);
        ScriptedProbe healthy = new ScriptedProbe(1, 500, true);
        failing.throwAt(1);
        try (GpuMonitor monitor =
                GpuMonitor.builder()
                        .addProbe(failing)
                        .addProbe(healthy)
                        .addListener(events::add)
                        .build()) {
            monitor.sampleNow();
            monitor.sampleNow();
            Snapshot second = monitor.latest().orElseThrow();
            failing.throwAt(2);
            monitor.sampleNow();

            assertThat(second.gpus().get(0).get(GpuMetric.UTILIZATION_GPU)).isEmpty();
            assertThat(second.gpus().get(1).get(GpuMetric.UTILIZATION_GPU)).hasValue(501);
            assertThat(events)
                    .singleElement()
                    .isEqualTo(
                            new MonitorEvent.ProbeFailed(
                                    "ScriptedProbe",
                                    "java.lang.IllegalStateException: scripted failure at tick 1"));
        }
    }

    @Test
    void theThreadSamplesAtTheIntervalAndStartStopCloseAreIdempotent() throws Exception {
        ScriptedProbe probe = new ScriptedProbe(1, 0, true);
        GpuMonitor monitor =
                GpuMonitor.builder().addProbe(probe).optInterval(Duration.ofMillis(10)).build();
        monitor.start();
        monitor.start();
        Thread thread = monitor.samplerThread().orElseThrow();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(monitor.awaitSamples(5, Duration.ofSeconds(30))).isTrue();

        monitor.stop();
        monitor.stop();
        assertThat(thread.isAlive()).isFalse();
        long count = monitor.ring().count();
        assertThat(probe.ticks()).as("no tick after stop").isEqualTo((int) count);
        assertThat(monitor.ring().read(count, monitor.ring().newView()))
                .as("the next sample is not there")
                .isFalse();

        monitor.start();
        assertThat(monitor.awaitSamples(count + 2, Duration.ofSeconds(30))).isTrue();
        monitor.close();
        monitor.close();
        assertThat(monitor.isRunning()).isFalse();
        assertThat(probe.closed()).isTrue();
        assertThatThrownBy(monitor::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aListenerOnTheSamplerThreadMayCloseTheMonitor() throws Exception {
        ScriptedProbe probe = new ScriptedProbe(1, 0, false);
        probe.throwAt(3);
        GpuMonitor[] holder = new GpuMonitor[1];
        GpuMonitor monitor =
                GpuMonitor.builder()
                        .addProbe(probe)
                        .optInterval(Duration.ofMillis(10))
                        .addListener(event -> holder[0].close())
                        .build();
        holder[0] = monitor;
        monitor.start();
        Thread thread = monitor.samplerThread().orElseThrow();

        thread.join(30_000);

        assertThat(thread.isAlive()).as("the sampler ended instead of joining itself").isFalse();
        assertThat(probe.closed()).isTrue();
        assertThat(monitor.failure()).isEmpty();
    }

    @Test
    void outOfRangeSettingsAreRefusedWithTheValueAndTheRange() {
        assertThatThrownBy(() -> GpuMonitor.builder().optInterval(Duration.ofMillis(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interval must be from 10 ms to 10 s, got 5ms");
        assertThatThrownBy(() -> GpuMonitor.builder().optInterval(Duration.ofSeconds(11)).build())
                .hasMessage("interval must be from 10 ms to 10 s, got 11s");
        assertThatThrownBy(() -> GpuMonitor.builder().optCapacity(1).build())
                .hasMessage("capacity must be from 2 to 4194304 samples, got 1");
    }
}
