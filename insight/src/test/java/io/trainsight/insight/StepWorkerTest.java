package io.trainsight.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The insight's thread: order, draining, and failures handed back to the training thread. */
class StepWorkerTest {

    @Test
    void stepsAreProcessedInOrderAndDrainWaitsForAllOfThem() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        StepWorker<Integer> worker = new StepWorker<>("test-worker", seen::add, () -> {});
        for (int i = 0; i < 10_000; i++) {
            worker.submit(i);
        }
        worker.drain();
        assertThat(seen).hasSize(10_000).isSorted();
        worker.stop();
    }

    /** The step log is flushed when the thread catches up: drain() returns only after that. */
    @Test
    void drainReturnsAfterTheThreadCaughtUpWithEveryStep() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Integer> flushedAt = new CopyOnWriteArrayList<>();
        StepWorker<Integer> worker =
                new StepWorker<>(
                        "test-worker",
                        seen::add,
                        () -> {
                            sleep(20);
                            flushedAt.add(seen.size());
                        });
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 100; i++) {
                worker.submit(i);
            }
            worker.drain();
            assertThat(flushedAt).isNotEmpty().last().isEqualTo(100 * round);
        }
        assertThat(flushedAt).as("once per batch caught up, not per step").hasSizeLessThan(300);
        worker.stop();
    }

    @Test
    void stopProcessesWhatIsLeftThenEndsTheThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        StepWorker<Integer> worker =
                new StepWorker<>(
                        "test-worker",
                        i -> {
                            await(release);
                            seen.add(i);
                        },
                        () -> {});
        worker.submit(1);
        worker.submit(2);
        release.countDown();
        worker.stop();
        assertThat(seen).containsExactly(1, 2);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().equals("test-worker"));
    }

    @Test
    void aFailureIsThrownToTheTrainingThreadOnceAndStopsTheProcessing() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        StepWorker<Integer> worker =
                new StepWorker<>(
                        "test-worker",
                        i -> {
                            if (i == 3) {
                                throw new IllegalStateException("step 3: disk full");
                            }
                            seen.add(i);
                        },
                        () -> {});
        for (int i = 1; i <= 5; i++) {
            worker.submit(i);
        }
        assertThatThrownBy(worker::drain)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 3: disk full");
        worker.submit(6); // thrown once: the loop that caught it is ending the run
        worker.stop();
        assertThat(seen).containsExactly(1, 2);
        assertThat(worker.failure()).isNull();
    }

    @Test
    void aFailureNotYetThrownIsKeptForTheEnd() {
        StepWorker<Integer> worker =
                new StepWorker<>(
                        "test-worker",
                        i -> {
                            throw new IllegalStateException("broken " + i);
                        },
                        () -> {});
        worker.submit(1);
        worker.stop();
        assertThat(worker.failure()).hasMessage("broken 1");
        assertThat(worker.failure()).as("handed out once").isNull();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
