package io.trainsight.insight.internal.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.trainsight.leaky.Leaker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Live NDArrays counted in a real manager tree, the manager that grows, and where it grows. */
class ArrayCensusTest {

    @Test
    void countsTheArraysAndBytesOfAManagerAndItsChildren() {
        assertThat(ArrayCensus.unavailableReason()).isNull();
        try (NDManager model = NDManager.newBaseManager()) {
            model.ones(new Shape(10, 10)); // 400 bytes
            NDManager trainer = model.newSubManager();
            trainer.setName("trainer");
            trainer.zeros(new Shape(25)); // 100 bytes
            ArrayCensus census = new ArrayCensus();
            census.add(model, "model 'm'");

            assertThat(census.step()).isTrue();
            assertThat(census.arrays()).isEqualTo(2);
            assertThat(census.bytes()).isEqualTo(500);
            assertThat(census.growing()).isNull();

            NDArray more = trainer.ones(new Shape(4));
            census.step();
            assertThat(census.arrays()).isEqualTo(3);
            assertThat(census.growing()).isEqualTo("'trainer' under model 'm'");
            more.close();
            census.step();
            assertThat(census.arrays()).isEqualTo(2);
            assertThat(census.nanosPerStep()).as("the first census is timed").isNotNaN();
        }
    }

    @Test
    void findsWhereTheArraysThatStayAliveAreCreated() {
        try (NDManager model = NDManager.newBaseManager()) {
            ArrayCensus census = new ArrayCensus();
            census.add(model, "model 'leak'");
            Leaker leaker = new Leaker(model);
            for (int step = 0; step < 200 && census.allocationSite() == null; step++) {
                try (NDManager scratch = model.newSubManager()) {
                    leaker.step(scratch);
                }
                census.step();
                if (step > 2) {
                    assertThat(census.growing()).isEqualTo("model 'leak'");
                }
            }
            assertThat(census.allocationSite())
                    .as("the frame that attached the kept output, for every survivor sampled")
                    .matches(
                            "io\\.trainsight\\.leaky\\.Leaker\\.step\\(Leaker\\.java:\\d+\\)"
                                    + " \\((\\d+) of \\1\\)");
            assertThat(census.allocationSiteEvidence())
                    .matches("\\d+ sampled arrays still alive in model 'leak'");
            // the manager keeps working with the sampling map in place
            long before = census.arrays();
            model.ones(new Shape(1)).close();
            census.step();
            assertThat(census.arrays()).isEqualTo(before);
        }
    }

    @Test
    void aFlatManagerArmsNoSampling() {
        try (NDManager model = NDManager.newBaseManager()) {
            model.ones(new Shape(3));
            ArrayCensus census = new ArrayCensus();
            census.add(model, "model 'flat'");
            for (int step = 0; step < 50; step++) {
                try (NDManager scratch = model.newSubManager()) {
                    scratch.ones(new Shape(8)).mul(3);
                }
                census.step();
            }
            assertThat(census.arrays()).isEqualTo(1);
            assertThat(census.growing()).isNull();
            assertThat(census.allocationSite()).isNull();
        }
    }

    @Test
    void onShortStepsAFlatManagerIsCountedEveryFewStepsAndAGrowingOneEveryStep() {
        try (NDManager model = NDManager.newBaseManager()) {
            model.ones(new Shape(3));
            ArrayCensus census = new ArrayCensus();
            census.add(model, "model 'fast'");
            int counted = 0;
            for (int step = 0; step < 80; step++) {
                // a step of 1 ns: any census costs more than 0.2 % of it
                counted += census.step(1) ? 1 : 0;
            }
            assumeThat(census.nanosPerStep()).as("the census's CPU time is measured").isPositive();
            assertThat(counted).as("at most 7 steps skipped between censuses").isBetween(10, 79);

            census = new ArrayCensus();
            census.add(model, "model 'fast'");
            List<Integer> countedSteps = new ArrayList<>();
            for (int step = 0; step < 40; step++) {
                model.ones(new Shape(2)); // kept: the manager grows every step
                if (census.step(1)) {
                    countedSteps.add(step);
                }
            }
            // the first census has nothing to compare with; the second sees the growth, and from
            // then on every step is counted
            assertThat(countedSteps).hasSizeGreaterThan(30);
            int second = countedSteps.get(1);
            assertThat(countedSteps.subList(1, countedSteps.size()))
                    .as("counted from step %d on", second)
                    .hasSize(40 - second);
            assertThat(census.growing()).isEqualTo("model 'fast'");
        }
    }
}
