package io.trainsight.insight.diagnose;

/**
 * One diagnosis rule. It measures a set of steps with one number, its level, scaled so that 1 is
 * the threshold that raises it; the live diagnosis clears a raised finding once the level falls
 * below {@link DiagnosisThresholds#clearRatio()}.
 */
interface Rule {

    /**
     * Returns what the rule finds.
     *
     * @return the kind
     */
    FindingKind kind();

    /**
     * Tells whether the rule judges each device apart; a rule about the steps, the JVM or the host
     * is judged once, on the first device's snapshot.
     *
     * @return true for a rule about a device
     */
    default boolean perDevice() {
        return true;
    }

    /**
     * Measures the steps.
     *
     * @param stats the steps' numbers
     * @param remainingSteps steps the run still has to go (0 at the end)
     * @return 1 or more raises the finding; 0 when the rule cannot tell
     */
    double level(StatsSnapshot stats, long remainingSteps);

    /**
     * Describes what the steps show; called when the level is 1 or more.
     *
     * @param stats the steps' numbers
     * @param remainingSteps steps the run still has to go
     * @param scope {@link Finding#RUN} or {@link Finding#LIVE}
     * @return the finding, covering the steps where the condition held
     */
    Finding finding(StatsSnapshot stats, long remainingSteps, String scope);

    /** Returns the steps of a range, or all the steps counted when it is empty. */
    static long[] span(StatsSnapshot stats, StepRange range) {
        return range == null
                ? new long[] {stats.firstStep(), stats.lastStep()}
                : new long[] {range.first(), range.last()};
    }
}
