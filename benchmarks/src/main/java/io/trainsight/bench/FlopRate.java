package io.trainsight.bench;

/** The floating-point rate of a computation repeated for a while, as the benchmarks time it. */
public final class FlopRate {

    private FlopRate() {}

    /**
     * Runs a computation a few times unmeasured, then repeats it until both a time and a count have
     * passed.
     *
     * @param flops the floating-point operations of one run
     * @param warmUps the runs before timing starts
     * @param minNanos the least time to repeat it for
     * @param minRepeats the least number of timed runs
     * @param work the computation; it should read its result back, so that the run has finished
     * @return FLOP/s over the timed runs
     */
    public static double of(
            double flops, int warmUps, long minNanos, int minRepeats, Runnable work) {
        for (int i = 0; i < warmUps; i++) {
            work.run();
        }
        long start = System.nanoTime();
        long elapsed;
        int repeats = 0;
        do {
            work.run();
            repeats++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < minNanos || repeats < minRepeats);
        return repeats * flops / (elapsed / 1e9);
    }
}
