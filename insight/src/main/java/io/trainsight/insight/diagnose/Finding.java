package io.trainsight.insight.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing the diagnosis found, with the numbers that support it so a reader can check it.
 *
 * @param kind what it is about
 * @param severity how much it matters
 * @param scope {@code run} (the whole run's numbers) or {@code live} (a rolling window, raised
 *     during the run)
 * @param device the device it concerns, such as {@code gpu0} or {@code host}
 * @param firstStep the first step it covers
 * @param lastStep the last step it covers
 * @param title a few words, such as {@code highly input-bound}
 * @param summary one sentence with the numbers
 * @param evidence the numbers, by name (numbers, strings or lists of strings), in a stable order
 * @param advice what to try
 */
public record Finding(
        FindingKind kind,
        Severity severity,
        String scope,
        String device,
        long firstStep,
        long lastStep,
        String title,
        String summary,
        Map<String, Object> evidence,
        String advice) {

    /** The scope of a finding over the whole run. */
    public static final String RUN = "run";

    /** The scope of a finding raised on the rolling window during the run. */
    public static final String LIVE = "live";

    /** Keeps the evidence in its order, unmodifiable. */
    public Finding {
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /**
     * Returns the steps, as {@code 12-80} or {@code 12}.
     *
     * @return the range
     */
    public String steps() {
        return firstStep == lastStep ? Long.toString(firstStep) : firstStep + "-" + lastStep;
    }

    /**
     * Returns the finding in one line: severity, title, device, steps, summary.
     *
     * @return the line
     */
    public String describe() {
        return severity.label().toUpperCase(java.util.Locale.ROOT)
                + " "
                + title
                + " on "
                + device
                + " (steps "
                + steps()
                + "): "
                + summary
                + ". "
                + advice;
    }

    /**
     * Returns a copy covering other steps.
     *
     * @param first the first step
     * @param last the last step
     * @return the copy
     */
    public Finding withSteps(long first, long last) {
        return new Finding(
                kind, severity, scope, device, first, last, title, summary, evidence, advice);
    }

    /**
     * Returns a copy with one more piece of evidence.
     *
     * @param name its name
     * @param value a number or a string
     * @return the copy
     */
    public Finding withEvidence(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(evidence);
        more.put(name, value);
        return new Finding(
                kind, severity, scope, device, firstStep, lastStep, title, summary, more, advice);
    }
}
