package io.trainsight.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The ring's bounds, its absent values and its lock-free reads under a concurrent writer. */
class SampleRingTest {

    private static void write(SampleRing ring, long value, long nanoTime) {
        int slot = ring.beginWrite();
        ring.putGpu(slot, 0, GpuMetric.MEMORY_USED, value);
        ring.putHost(slot, HostMetric.PROCESS_RSS, value * 2);
        ring.publish(slot, nanoTime, 7);
    }

    @Test
    void keepsTheLastCapacitySamplesAndMarksWhatWasNotWritten() {
        SampleRing ring = new SampleRing(4, 1);
        SampleView view = ring.newView();
        assertThat(ring.read(0, view)).isFalse();
        assertThat(ring.latestGpu(0, GpuMetric.MEMORY_USED)).isEqualTo(SampleRing.ABSENT);

        for (long i = 0; i < 10; i++) {
            write(ring, 100 + i, 1_000 + i);
        }

        assertThat(ring.count()).isEqualTo(10);
        assertThat(ring.oldestSequence()).isEqualTo(7);
        assertThat(ring.read(5, view)).as("overwritten").isFalse();
        assertThat(ring.read(10, view)).as("not yet written").isFalse();
        assertThat(ring.read(7, view)).isTrue();
        assertThat(view.sequence()).isEqualTo(7);
        assertThat(view.nanoTime()).isEqualTo(1_007);
        assertThat(view.tickNanos()).isEqualTo(7);
        assertThat(view.gpu(0, GpuMetric.MEMORY_USED)).isEqualTo(107);
        assertThat(view.host(HostMetric.PROCESS_RSS)).isEqualTo(214);
        assertThat(view.gpu(0, GpuMetric.TEMPERATURE)).isEqualTo(SampleRing.ABSENT);
        assertThat(ring.latestGpu(0, GpuMetric.MEMORY_USED)).isEqualTo(109);
        assertThat(ring.latestHost(HostMetric.PROCESS_RSS)).isEqualTo(218);
    }

    @Test
    void convertsNanoTimeToTheWallClock() {
        SampleRing ring = new SampleRing(2, 0);
        long before = System.currentTimeMillis();
        long epoch = ring.toEpochMillis(System.nanoTime());
        long after = System.currentTimeMillis();

        assertThat(epoch).isBetween(before - 1, after + 1);
    }

    /**
     * A writer fills every column of a sample with one number per tick while readers copy samples;
     * a read that returns true must never mix two ticks.
     */
    @Test
    void aReadThatSucceedsNeverMixesTwoSamples() throws Exception {
        SampleRing ring = new SampleRing(8, 2);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicLong consistentReads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader =
                    new Thread(
                            () -> {
                                SampleView view = ring.newView();
                                while (!done.get()) {
                                    long sequence = ring.count() - 1 - (consistentReads.get() % 8);
                                    if (sequence < 0 || !ring.read(sequence, view)) {
                                        continue;
                                    }
                                    for (int gpu = 0; gpu < 2; gpu++) {
                                        for (GpuMetric metric : GpuMetric.values()) {
                                            if (view.gpu(gpu, metric) != sequence) {
                                                torn.compareAndSet(
                                                        null,
                                                        "sample "
                                                                + sequence
                                                                + " held "
                                                                + view.gpu(gpu, metric));
                                            }
                                        }
                                    }
                                    if (view.nanoTime() != sequence) {
                                        torn.compareAndSet(null, "time of " + sequence);
                                    }
                                    consistentReads.incrementAndGet();
                                }
                            });
            reader.start();
            readers.add(reader);
        }
        for (long sequence = 0; sequence < 200_000; sequence++) {
            int slot = ring.beginWrite();
            for (int gpu = 0; gpu < 2; gpu++) {
                for (GpuMetric metric : GpuMetric.values()) {
                    ring.putGpu(slot, gpu, metric, sequence);
                }
            }
            ring.publish(slot, sequence, 0);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }

        assertThat(torn.get()).isNull();
        assertThat(consistentReads.get()).isPositive();
    }
}
