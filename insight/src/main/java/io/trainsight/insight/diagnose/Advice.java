package io.trainsight.insight.diagnose;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a finding's advice gives the settings it suggests, in the words of the API the run was
 * driven from: a command-line option for {@code trainsight train}, a builder method for a {@code
 * TrainingLoop}, and what a plain DJL user changes for {@code EasyTrain}. Rules write their advice
 * with placeholders such as {@code {workers}}; the diagnosis fills them in from the run's {@code
 * Advice}.
 *
 * <p>The placeholders: {@code {workers}}, {@code {prefetch}}, {@code {amp}}, {@code {accumulate}},
 * {@code {batch-size}}, {@code {threads}}, {@code {sample-interval}}.
 */
public final class Advice {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]+)}");

    /** Advice for {@code trainsight train}: command-line options. */
    public static final Advice CLI =
            new Advice(
                    "cli",
                    Map.of(
                            "workers", "--workers",
                            "prefetch", "--prefetch",
                            "amp", "--amp",
                            "accumulate", "--accumulate",
                            "batch-size", "--batch-size",
                            "threads", "--threads",
                            "sample-interval", "--sample-interval"));

    /** Advice for a {@code TrainingLoop} built in code: builder methods. */
    public static final Advice TRAINING_LOOP =
            new Advice(
                    "training-loop",
                    Map.of(
                            "workers", "DataLoader.builder().optNumWorkers(n)",
                            "prefetch", "DataLoader.builder().optPrefetchFactor(n)",
                            "amp", "TrainingLoop.builder().optPrecision(Precision.FP16)",
                            "accumulate", "TrainingLoop.builder().optAccumulate(k)",
                            "batch-size", "DataLoader.builder().setBatchSize(n)",
                            "threads", "TrainingLoop.builder().optThreads(n)",
                            "sample-interval", "RunInsight.builder().optSampleInterval(d)"));

    /** Advice for DJL's own training ({@code EasyTrain} with the insight's listener). */
    public static final Advice DJL =
            new Advice(
                    "djl",
                    Map.of(
                            "workers",
                            "a loading thread pool: dataset.getData(manager, executor), or"
                                    + " trainsight's DataLoader with optNumWorkers(n)",
                            "prefetch",
                            "the dataset builder's optPrefetchNumber(n)",
                            "amp",
                            "trainsight's TrainingLoop with optPrecision(Precision.FP16); DJL has"
                                    + " no mixed precision of its own",
                            "accumulate",
                            "trainsight's TrainingLoop with optAccumulate(k); EasyTrain does not"
                                    + " accumulate",
                            "batch-size",
                            "the dataset builder's setSampling(batchSize, shuffle)",
                            "threads",
                            "-Dai.djl.pytorch.num_threads=n",
                            "sample-interval",
                            "InsightTrainingListener.builder().optSampleInterval(d)"));

    private final String id;
    private final Map<String, String> names;

    private Advice(String id, Map<String, String> names) {
        this.id = id;
        this.names = Map.copyOf(names);
    }

    /**
     * Returns which vocabulary this is, as summary.json records it.
     *
     * @return {@code cli}, {@code training-loop} or {@code djl}
     */
    public String id() {
        return id;
    }

    /**
     * Reads a vocabulary back from its id.
     *
     * @param id an {@link #id()}
     * @return the vocabulary; {@link #CLI} for an unknown or missing id
     */
    public static Advice of(String id) {
        if (TRAINING_LOOP.id.equals(id)) {
            return TRAINING_LOOP;
        }
        if (DJL.id.equals(id)) {
            return DJL;
        }
        return CLI;
    }

    /**
     * Fills in the placeholders of an advice text.
     *
     * @param text advice with placeholders such as {@code {workers}}
     * @return the text in this vocabulary; unknown placeholders are left as they are
     */
    public String resolve(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = names.get(matcher.group(1));
            matcher.appendReplacement(
                    out, Matcher.quoteReplacement(name != null ? name : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * Returns a finding whose advice speaks this vocabulary.
     *
     * @param finding a finding as a rule wrote it
     * @return the finding with its advice filled in
     */
    public Finding apply(Finding finding) {
        String advice = resolve(finding.advice());
        return advice.equals(finding.advice())
                ? finding
                : new Finding(
                        finding.kind(),
                        finding.severity(),
                        finding.scope(),
                        finding.device(),
                        finding.firstStep(),
                        finding.lastStep(),
                        finding.title(),
                        finding.summary(),
                        finding.evidence(),
                        advice);
    }

    @Override
    public String toString() {
        return id;
    }
}
