package io.trainsight.insight.diagnose;

/**
 * The steps where a condition held: the first, the last and how many.
 *
 * @param first the first step
 * @param last the last step
 * @param count the number of steps
 */
public record StepRange(long first, long last, long count) {

    /**
     * Adds a step after the others.
     *
     * @param range the range so far, or null
     * @param step the step
     * @return the range with the step
     */
    static StepRange extend(StepRange range, long step) {
        return range == null
                ? new StepRange(step, step, 1)
                : new StepRange(range.first, step, range.count + 1);
    }
}
