package io.trainsight.trainer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes every step through Micrometer: {@code train.step.duration} and {@code train.data.wait}
 * (timers), {@code train.samples} and {@code train.steps.skipped} (counters), {@code train.loss},
 * {@code train.loss.scale} and {@code train.grad.norm} (gauges of the latest step). Register it as
 * a listener of the loop and bind it to a registry.
 */
public final class TrainingMetrics implements StepListener, MeterBinder {

    private final Iterable<Tag> tags;
    private Timer stepDuration;
    private Timer dataWait;
    private Counter samples;
    private Counter skipped;
    private volatile double loss = Double.NaN;
    private volatile double lossScale = Double.NaN;
    private volatile double gradNorm = Double.NaN;

    /**
     * Creates the meters' publisher.
     *
     * @param tags tags added to every meter, e.g. the run's name
     */
    public TrainingMetrics(Iterable<Tag> tags) {
        this.tags = tags;
    }

    /** Creates the publisher with no extra tags. */
    public TrainingMetrics() {
        this(List.of());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        stepDuration =
                Timer.builder("train.step.duration")
                        .tags(tags)
                        .description("Time of one optimizer step, data wait included")
                        .register(registry);
        dataWait =
                Timer.builder("train.data.wait")
                        .tags(tags)
                        .description("Time a step spent blocked waiting for its batches")
                        .register(registry);
        samples =
                Counter.builder("train.samples")
                        .tags(tags)
                        .description("Training samples processed")
                        .baseUnit("samples")
                        .register(registry);
        skipped =
                Counter.builder("train.steps.skipped")
                        .tags(tags)
                        .description("Steps skipped because a gradient held an inf or a NaN")
                        .baseUnit(BaseUnits.OPERATIONS)
                        .register(registry);
        Gauge.builder("train.loss", this, m -> m.loss)
                .tags(tags)
                .description("Training loss of the latest step")
                .register(registry);
        Gauge.builder("train.loss.scale", this, m -> m.lossScale)
                .tags(tags)
                .description("Loss scale of the latest step (1 without mixed precision)")
                .register(registry);
        Gauge.builder("train.grad.norm", this, m -> m.gradNorm)
                .tags(tags)
                .description("Global L2 norm of the gradients of the latest step, before clipping")
                .register(registry);
    }

    @Override
    public void onStep(StepRecord record) {
        if (stepDuration == null) {
            throw new IllegalStateException("TrainingMetrics must be bound to a registry first");
        }
        stepDuration.record(record.durationNanos(), TimeUnit.NANOSECONDS);
        dataWait.record(record.dataWaitNanos(), TimeUnit.NANOSECONDS);
        samples.increment(record.samples());
        if (record.skipped()) {
            skipped.increment();
        }
        loss = record.loss();
        lossScale = record.lossScale();
        gradNorm = record.gradNorm();
    }
}
