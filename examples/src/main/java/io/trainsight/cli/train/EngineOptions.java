package io.trainsight.cli.train;

import io.trainsight.trainer.MemoryFormat;
import io.trainsight.trainer.engine.EngineThreads;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How libtorch computes: its threads ({@code auto}, the default, takes the cores the process may
 * use, less one per loader worker and one for the JVM's own threads, see {@link
 * EngineThreads#choose}; a number pins them) and the memory layout of image batches. Both may
 * change when a run resumes.
 */
final class EngineOptions {

    @Option(
            names = "--threads",
            paramLabel = "N|auto",
            defaultValue = LoaderOptions.AUTO,
            description =
                    "libtorch's intra-op threads; auto (default): the cores this process may use,"
                            + " less one per loader worker and one for the JVM.")
    String threads;

    @Option(
            names = "--memory-format",
            paramLabel = "auto|channels-last|contiguous",
            defaultValue = LoaderOptions.AUTO,
            description =
                    "How image batches lie in memory; auto (default): channels-last when the model"
                            + " has a 2-D convolution and trains on the CPU.")
    String memoryFormat;

    /**
     * Checks and reads the memory format.
     *
     * @param usage makes the usage error
     * @return the format
     */
    MemoryFormat memoryFormat(Function<String, ParameterException> usage) {
        try {
            return MemoryFormat.of(memoryFormat);
        } catch (IllegalArgumentException e) {
            throw usage.apply("--memory-format: " + e.getMessage());
        }
    }

    /**
     * Checks the value and chooses the threads.
     *
     * @param workers the loader's workers
     * @param usage makes the usage error
     * @return the setting, with the reason for it
     */
    EngineThreads choose(int workers, Function<String, ParameterException> usage) {
        if (LoaderOptions.AUTO.equalsIgnoreCase(threads.strip())) {
            return EngineThreads.automatic(workers);
        }
        int n;
        try {
            n = Integer.parseInt(threads.strip());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > 1024) {
            throw usage.apply(
                    "--threads must be a number between 1 and 1024 or auto, got " + threads);
        }
        return EngineThreads.fixed(n, "--threads");
    }
}
