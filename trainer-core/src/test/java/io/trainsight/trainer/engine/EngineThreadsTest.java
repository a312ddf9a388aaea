package io.trainsight.trainer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {

    @Test
    void twoCoresComputeOnOneAndLeaveTheOtherToTheJvm() {
        EngineThreads threads = EngineThreads.choose(2, 0);
        assertThat(threads.intraOp()).isEqualTo(1);
        assertThat(threads.interOp()).isEqualTo(1);
        assertThat(threads.describe())
                .isEqualTo(
                        "libtorch threads: 1 intra-op, 1 inter-op (2 cores available to this"
                                + " process, less 0 for the loader's workers and 1 for the JVM's"
                                + " own threads (GC, JIT, monitor))");
    }

    @Test
    void loaderWorkersTakeTheirCoresFirst() {
        assertThat(EngineThreads.choose(8, 2).intraOp()).isEqualTo(5);
        assertThat(EngineThreads.choose(16, 0).intraOp()).isEqualTo(15);
        assertThat(EngineThreads.choose(4, 8).intraOp()).isEqualTo(1);
    }

    @Test
    void oneCoreIsOneThreadWhateverElseRuns() {
        EngineThreads threads = EngineThreads.choose(1, 3);
        assertThat(threads.intraOp()).isEqualTo(1);
        assertThat(threads.reason()).startsWith("1 core available");
    }

    @Test
    void aPinnedSettingWinsOverTheCores() {
        String before = System.getProperty(EngineThreads.INTRA_OP_PROPERTY);
        System.setProperty(EngineThreads.INTRA_OP_PROPERTY, "3");
        try {
            EngineThreads threads = EngineThreads.automatic(0);
            assertThat(threads.intraOp()).isEqualTo(3);
            assertThat(threads.reason()).isEqualTo("set by -Dai.djl.pytorch.num_threads");
        } finally {
            if (before == null) {
                System.clearProperty(EngineThreads.INTRA_OP_PROPERTY);
            } else {
                System.setProperty(EngineThreads.INTRA_OP_PROPERTY, before);
            }
        }
    }

    @Test
    void badCountsAreRefusedNamingThem() {
        assertThatThrownBy(() -> EngineThreads.fixed(0, "--threads"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be a positive number, got 0 (--threads)");
        assertThatThrownBy(() -> EngineThreads.choose(0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void applyingSetsTheEnginesThreadsForThisThread() {
        Engine.getInstance();
        int before = JniUtils.getNumThreads();
        try {
            EngineThreads.fixed(before == 1 ? 2 : 1, "test").apply();
            assertThat(JniUtils.getNumThreads()).isEqualTo(before == 1 ? 2 : 1);
        } finally {
            JniUtils.setNumThreads(before);
        }
    }
}
