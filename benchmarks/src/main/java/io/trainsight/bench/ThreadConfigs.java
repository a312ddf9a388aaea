package io.trainsight.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.trainsight.trainer.engine.EngineThreads;
import io.trainsight.trainer.engine.MklDispatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The thread settings a benchmark runs at, every contender at the same one: a list such as {@code
 * 1,auto} where {@code auto} is what trainsight chooses on this machine ({@link
 * EngineThreads#automatic}); a setting that repeats another is run once.
 */
public final class ThreadConfigs {

    private ThreadConfigs() {}

    /**
     * Parses a list of settings.
     *
     * @param list numbers and {@code auto}, separated by commas
     * @return the distinct thread counts, in order
     * @throws IllegalArgumentException naming a bad entry
     */
    public static List<Integer> parse(String list) {
        Set<Integer> counts = new LinkedHashSet<>();
        for (String entry : list.split(",")) {
            String value = entry.strip().toLowerCase(Locale.ROOT);
            if (value.equals("auto")) {
                EngineThreads auto = EngineThreads.automatic(0);
                System.out.println("threads auto: " + auto.describe());
                counts.add(auto.intraOp());
            } else {
                try {
                    int n = Integer.parseInt(value);
                    if (n < 1) {
                        throw new NumberFormatException();
                    }
                    counts.add(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "--threads: '" + entry + "' is not a positive number or auto");
                }
            }
        }
        return new ArrayList<>(counts);
    }

    /** Whether {@link #applyToJvm} has printed MKL's code path yet. */
    private static boolean mklPrinted;

    /**
     * Sets libtorch's intra-op threads in this JVM (for this thread and those that have not run an
     * operator yet) and returns what libtorch reports; the first call also prints the code path
     * MKL, libtorch's matrix-product library, runs in this JVM ({@link MklDispatch}).
     *
     * @param threads the threads
     * @return {@code at::get_num_threads()} on this thread afterwards
     */
    public static int applyToJvm(int threads) {
        Engine.getInstance();
        if (!mklPrinted) {
            mklPrinted = true;
            System.out.println(MklDispatch.beforeEngineStart().describe());
        }
        EngineThreads.fixed(threads, "the benchmark").apply();
        return JniUtils.getNumThreads();
    }
}
