package io.trainsight.insight.internal.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * GC pauses joined to steps: from the collectors' notifications, or from their totals when a
 * notification is late; pauses between steps and concurrent cycles are not counted.
 */
class GcPausesTest {

    private static final long MS = 1_000_000;

    /** A collector whose count and time the test sets. */
    private static final class ScriptedCollector implements GarbageCollectorMXBean {
        private final String name;
        long count;
        long millis;

        ScriptedCollector(String name) {
            this.name = name;
        }

        @Override
        public long getCollectionCount() {
            return count;
        }

        @Override
        public long getCollectionTime() {
            return millis;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public String[] getMemoryPoolNames() {
            return new String[0];
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }

    @Test
    void aNotifiedPauseInsideTheStepIsCountedWithItsCollector() {
        ScriptedCollector young = new ScriptedCollector("G1 Young Generation");
        try (GcPauses gc = new GcPauses(List.of(young))) {
            young.count = 1;
            young.millis = 12;
            gc.record(0, 1, 105, 12, 117 * MS + 300_000);
            gc.step(100 * MS, 130 * MS);
            assertThat(gc.pauses()).isEqualTo(1);
            assertThat(gc.pauseNanos()).isEqualTo(12 * MS);
            assertThat(gc.longestCollector()).isEqualTo("G1 Young Generation");

            gc.step(130 * MS, 140 * MS);
            assertThat(gc.pauses()).as("counted once").isZero();
        }
    }

    @Test
    void aPauseWhoseNotificationIsLateIsCountedFromTheTotalsAndNotTwice() {
        ScriptedCollector young = new ScriptedCollector("G1 Young Generation");
        try (GcPauses gc = new GcPauses(List.of(young))) {
            young.count = 1;
            young.millis = 7;
            gc.step(100 * MS, 120 * MS); // the count moved, no notification yet
            assertThat(gc.pauses()).isEqualTo(1);
            assertThat(gc.pauseNanos()).isEqualTo(7 * MS);

            gc.record(0, 1, 110, 7, 125 * MS); // it arrives during the next step
            gc.step(120 * MS, 140 * MS);
            assertThat(gc.pauses()).isZero();
        }
    }

    @Test
    void aPauseBetweenStepsIsNotCountedAgainstTheNext() {
        ScriptedCollector young = new ScriptedCollector("G1 Young Generation");
        try (GcPauses gc = new GcPauses(List.of(young))) {
            gc.step(100 * MS, 120 * MS);
            young.count = 1;
            young.millis = 5;
            gc.record(0, 1, 122, 5, 127 * MS + 200_000); // while the listeners ran
            gc.step(130 * MS, 150 * MS);
            assertThat(gc.pauses()).isZero();
        }
    }

    @Test
    void theEarliestArrivalPlacesTheGcClockOnTheStepClock() {
        ScriptedCollector young = new ScriptedCollector("G1 Young Generation");
        try (GcPauses gc = new GcPauses(List.of(young))) {
            gc.record(0, 1, 100, 5, 140 * MS); // delivered 35 ms after the pause
            gc.record(0, 2, 200, 5, 205 * MS + 100_000); // delivered at once
            young.count = 1;
            young.millis = 5;
            gc.step(95 * MS, 110 * MS);
            assertThat(gc.pauses())
                    .as("the first pause, placed by the second's prompt arrival, is in the step")
                    .isEqualTo(1);
        }
    }

    @Test
    void concurrentCyclesAreNotPauses() {
        assertThat(GcPauses.pauses("ZGC Cycles")).isFalse();
        assertThat(GcPauses.pauses("Shenandoah Cycles")).isFalse();
        assertThat(GcPauses.pauses("G1 Concurrent GC")).isFalse();
        assertThat(GcPauses.pauses("ZGC Pauses")).isTrue();
        assertThat(GcPauses.pauses("G1 Young Generation")).isTrue();
        ScriptedCollector cycles = new ScriptedCollector("ZGC Cycles");
        try (GcPauses gc = new GcPauses(List.of(cycles))) {
            cycles.count = 3;
            cycles.millis = 300;
            gc.step(0, 100 * MS);
            assertThat(gc.pauses()).isZero();
            assertThat(gc.collectorNames()).isEmpty();
        }
    }

    @Test
    void aCollectionOfThisJvmDuringAStepIsCounted() {
        try (GcPauses gc = new GcPauses()) {
            assertThat(gc.collectorNames()).isNotEmpty();
            long start = System.nanoTime();
            System.gc();
            long end = System.nanoTime();
            gc.step(start, end);
            assertThat(gc.pauses()).as("System.gc() is a pause of a collector").isPositive();
            assertThat(gc.longestCollector()).isIn(gc.collectorNames());
        }
    }
}
