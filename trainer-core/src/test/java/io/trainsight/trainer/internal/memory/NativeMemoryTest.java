package io.trainsight.trainer.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void aUserTunedAllocatorIsLeftAlone() {
        assertThat(NativeMemory.reasonToSkip(Map.of("MALLOC_TRIM_THRESHOLD_", "0"), "keep"))
                .isEqualTo("MALLOC_TRIM_THRESHOLD_ is set");
        assertThat(
                        NativeMemory.reasonToSkip(
                                Map.of("LD_PRELOAD", "/usr/lib/libjemalloc.so.2"), "keep"))
                .startsWith("another allocator is preloaded");
        assertThat(NativeMemory.reasonToSkip(Map.of(), "system"))
                .isEqualTo("-Dtrainsight.native-memory=system");
    }

    @Test
    void glibcTakesTheThresholds() {
        assumeTrue(
                System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"),
                "glibc's allocator is tuned on Linux only");
        assertThat(NativeMemory.tune(Map.of(), "keep"))
                .hasValueSatisfying(
                        done ->
                                assertThat(done)
                                        .startsWith("glibc ")
                                        .contains("trim threshold 512 MiB"));
    }
}
