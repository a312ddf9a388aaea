package io.trainsight.trainer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtEngine;
import io.trainsight.trainer.engine.MklDispatch.State;
import io.trainsight.trainer.internal.mkl.MklStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MklDispatchTest {

    private static final String LINUX = "Linux";
    private static final String X86 = "amd64";

    @Test
    void anAmdOrHygonCpuGetsTheStubUnlessLibtorchHasStarted() {
        assertThat(MklDispatch.plan(LINUX, X86, "AuthenticAMD", null, false).state())
                .isEqualTo(State.ON);
        assertThat(MklDispatch.plan(LINUX, "x86_64", "HygonGenuine", "auto", false).state())
                .isEqualTo(State.ON);
        MklDispatch late = MklDispatch.plan(LINUX, X86, "AuthenticAMD", null, true);
        assertThat(late.state()).isEqualTo(State.TOO_LATE);
        assertThat(late.describe(OptionalInt.of(2), true))
                .contains("libtorch had started before trainsight could choose")
                .contains("call MklDispatch.beforeEngineStart() before the first NDManager");
    }

    @Test
    void intelCpusOtherMachinesAndUnknownVendorsAreLeftAlone() {
        assertThat(MklDispatch.plan(LINUX, X86, "GenuineIntel", null, false).state())
                .isEqualTo(State.NOT_NEEDED);
        assertThat(MklDispatch.plan(LINUX, "aarch64", "AuthenticAMD", null, false).state())
                .isEqualTo(State.NOT_NEEDED);
        assertThat(MklDispatch.plan("Mac OS X", X86, "AuthenticAMD", null, false).state())
                .isEqualTo(State.NOT_NEEDED);
        assertThat(MklDispatch.plan(LINUX, X86, "", null, false).state())
                .isEqualTo(State.NOT_NEEDED);
    }

    @Test
    void thePropertyTurnsItOffAndAnUnknownValueLeavesMklAlone() {
        assertThat(MklDispatch.plan(LINUX, X86, "AuthenticAMD", "off", false).state())
                .isEqualTo(State.OFF);
        assertThat(MklDispatch.plan(LINUX, X86, "AuthenticAMD", " OFF ", false).state())
                .isEqualTo(State.OFF);
        MklDispatch typo = MklDispatch.plan(LINUX, X86, "AuthenticAMD", "of", false);
        assertThat(typo.state()).isEqualTo(State.OFF);
        assertThat(typo.describe(OptionalInt.of(2), true))
                .contains("-Dtrainsight.mkl-fast-paths=of (invalid)");
    }

    @Test
    void theLineSaysWhatMklRunsAndWhetherTheStubTookEffect() {
        MklDispatch on = MklDispatch.plan(LINUX, X86, "AuthenticAMD", null, false);
        assertThat(on.describe(OptionalInt.of(14), true))
                .isEqualTo(
                        "MKL: its AVX-512 (E1) code path, chosen by this AuthenticAMD CPU's"
                                + " instruction sets (on a CPU not Intel's MKL picks its generic"
                                + " path itself; -Dtrainsight.mkl-fast-paths=off keeps that)");
        assertThat(on.describe(OptionalInt.of(2), true))
                .isEqualTo(
                        "MKL: its generic code path on this AuthenticAMD CPU, although trainsight"
                                + " loaded its stub: this libtorch's MKL does not ask it");
        assertThat(on.describe(OptionalInt.empty(), true))
                .isEqualTo("MKL: none in this libtorch, nothing to choose (AuthenticAMD CPU)");
        assertThat(on.describe(OptionalInt.empty(), false))
                .endsWith("libtorch has not started yet");
        MklDispatch off = MklDispatch.plan(LINUX, X86, "AuthenticAMD", "off", false);
        assertThat(off.describe(OptionalInt.of(2), true))
                .isEqualTo(
                        "MKL: its generic code path, its own choice on this AuthenticAMD CPU"
                                + " (-Dtrainsight.mkl-fast-paths=off)");
        assertThat(MklDispatch.plan(LINUX, X86, "GenuineIntel", null, false).describe())
                .isEqualTo(
                        "MKL: left to choose its code path (MKL chooses by instruction sets on this"
                                + " CPU itself)");
    }

    @Test
    void theVendorIsTheFirstVendorIdLine() {
        List<String> cpuinfo =
                List.of(
                        "processor\t: 0",
                        "vendor_id\t: AuthenticAMD",
                        "cpu family\t: 26",
                        "processor\t: 1",
                        "vendor_id\t: GenuineIntel");
        assertThat(MklDispatch.vendorIn(cpuinfo)).isEqualTo("AuthenticAMD");
        assertThat(MklDispatch.vendorIn(List.of("processor : 0"))).isEmpty();
    }

    @Test
    void mklsBranchesAreNamed() {
        assertThat(MklDispatch.branchName(2)).isEqualTo("generic");
        assertThat(MklDispatch.branchName(10)).isEqualTo("AVX2");
        assertThat(MklDispatch.branchName(14)).isEqualTo("AVX-512 (E1)");
        assertThat(MklDispatch.branchName(99)).isEqualTo("number 99");
    }

    /**
     * In this test JVM the engine started through DJL, so trainer-core's hook decided before
     * libtorch loaded: on an AMD CPU with AVX2 MKL must run an AVX2 or AVX-512 branch.
     */
    @Test
    void whenDjlsEngineStartsTheDecisionIsAlreadyMade() throws IOException {
        Engine engine = Engine.getEngine("PyTorch");
        assertThat(engine).isInstanceOf(PtEngine.class);
        assertThat(MklStub.loadedLibtorch()).isPresent();
        MklDispatch dispatch = MklDispatch.beforeEngineStart();
        List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        String vendor = MklDispatch.vendorIn(cpuinfo);
        boolean avx2 = cpuinfo.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" avx2"));
        boolean x86 = List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        if (x86 && (vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine"))) {
            assertThat(dispatch.state()).isEqualTo(State.ON);
            assertThat(MklStub.isLoaded()).isTrue();
            if (avx2) {
                assertThat(MklStub.codeBranch(MklStub.loadedLibtorch().orElseThrow()).orElse(-1))
                        .isGreaterThanOrEqualTo(10);
            }
            assertThat(dispatch.describe())
                    .startsWith("MKL: its ")
                    .contains("chosen by this " + vendor + " CPU's instruction sets");
        } else {
            assertThat(dispatch.state()).isEqualTo(State.NOT_NEEDED);
            assertThat(MklStub.isLoaded()).isFalse();
        }
    }

    /** Whatever path MKL runs, its products are right: checked against double precision. */
    @Test
    void matrixProductsMatchADoublePrecisionReference() {
        Random random = new Random(7);
        int[][] shapes = {{64, 784, 256}, {256, 2048, 10}, {33, 17, 129}, {1, 1000, 3}};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] s : shapes) {
                float[] a = values(random, s[0] * s[1]);
                float[] b = values(random, s[1] * s[2]);
                NDArray x = manager.create(a, new Shape(s[0], s[1]));
                NDArray w = manager.create(b, new Shape(s[1], s[2]));
                float[] product = x.matMul(w).toFloatArray();
                float[] transposed = w.transpose().matMul(x.transpose()).toFloatArray();
                for (int i = 0; i < s[0]; i++) {
                    for (int j = 0; j < s[2]; j++) {
                        double expected = 0;
                        double magnitude = 0;
                        for (int k = 0; k < s[1]; k++) {
                            expected += (double) a[i * s[1] + k] * b[k * s[2] + j];
                            magnitude += Math.abs((double) a[i * s[1] + k] * b[k * s[2] + j]);
                        }
                        double tolerance = 1e-5 * magnitude + 1e-6;
                        assertThat((double) product[i * s[2] + j])
                                .isCloseTo(expected, within(tolerance));
                        assertThat((double) transposed[j * s[0] + i])
                                .isCloseTo(expected, within(tolerance));
                    }
                }
            }
        }
    }

    private static float[] values(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
