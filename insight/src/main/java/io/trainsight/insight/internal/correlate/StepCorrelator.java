package io.trainsight.insight.internal.correlate;

import io.trainsight.gpu.SampleRing;
import io.trainsight.gpu.SampleView;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Joins every training step with the samples a {@link io.trainsight.gpu.GpuMonitor} took while it
 * ran: for each {@link StepRecord}, the samples whose time falls inside {@code [startNanos,
 * endNanos]} are summarised per device into a {@link StepInsight}.
 *
 * <p>Streaming: a cursor remembers the last sample consumed, so each step reads only the samples
 * taken since the previous step (no scan of the history), and a sample taken after the step's end
 * is kept for the next step. A step with no sample inside gets the nearest one (the last before it
 * or the first after it, whichever is closer). When steps are so far apart that the ring overwrote
 * samples before they were read, they are counted in {@link #missedSamples()}.
 *
 * <p>Used on the training thread only.
 */
public final class StepCorrelator implements StepListener {

    private final SampleRing ring;
    private final List<SampleChannel> channels;
    private final ChannelWindow[] windows;
    private final BiConsumer<StepRecord, List<StepInsight>> sink;
    private final HostLoadWindow load = new HostLoadWindow(HostLoad.machineCores());
    private HostLoad lastLoad = HostLoad.UNKNOWN;
    private SampleView current;
    private SampleView previous;
    private boolean hasPrevious;
    private boolean pending;
    private long cursor;
    private long missed;

    /**
     * Creates a correlator reading a ring.
     *
     * @param ring the monitor's ring
     * @param channels the devices to summarise, in order
     * @param sink receives every step with its insights (one per channel, in order); may be null
     *     when only {@link #correlate} is called
     */
    public StepCorrelator(
            SampleRing ring,
            List<SampleChannel> channels,
            BiConsumer<StepRecord, List<StepInsight>> sink) {
        this.ring = ring;
        this.channels = List.copyOf(channels);
        this.windows = new ChannelWindow[channels.size()];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new ChannelWindow(channels.get(i));
        }
        this.sink = sink;
        this.current = ring.newView();
        this.previous = ring.newView();
    }

    /**
     * Returns the devices summarised.
     *
     * @return the channels, in order
     */
    public List<SampleChannel> channels() {
        return channels;
    }

    /**
     * Returns the host's load during the step last given to {@link #correlate}.
     *
     * @return the load, {@link HostLoad#UNKNOWN} before the first step
     */
    public HostLoad hostLoad() {
        return lastLoad;
    }

    /**
     * Returns how many samples were overwritten in the ring before the correlator read them.
     *
     * @return the count
     */
    public long missedSamples() {
        return missed;
    }

    /** Skips the samples taken before the run, keeping the last one as the nearest candidate. */
    @Override
    public void onTrainingBegin(RunStart start) {
        cursor = Math.max(cursor, ring.count() - 1);
    }

    @Override
    public void onStep(StepRecord record) {
        List<StepInsight> insights = correlate(record);
        if (sink != null) {
            sink.accept(record, insights);
        }
    }

    /**
     * Summarises the samples of one step; steps must come in time order.
     *
     * @param record the step
     * @return one insight per channel, in order
     */
    public List<StepInsight> correlate(StepRecord record) {
        for (ChannelWindow window : windows) {
            window.reset();
        }
        load.reset();
        long waitEnd = record.startNanos() + record.dataWaitNanos();
        int inside = 0;
        while (pending || readNext()) {
            long time = current.nanoTime();
            if (time > record.endNanos()) {
                pending = true;
                break;
            }
            pending = false;
            boolean in = time >= record.startNanos();
            for (ChannelWindow window : windows) {
                window.consume(current, in, in && time < waitEnd);
            }
            if (in) {
                load.consume(current, time < waitEnd);
                inside++;
            }
            SampleView consumed = current;
            current = previous;
            previous = consumed;
            hasPrevious = true;
            cursor++;
        }
        List<StepInsight> insights = new ArrayList<>(windows.length);
        SampleView nearest = inside > 0 ? null : nearest(record);
        if (nearest != null) {
            load.consume(nearest, false);
        }
        lastLoad = load.summary();
        for (ChannelWindow window : windows) {
            insights.add(
                    inside > 0
                            ? window.inside(record.step(), record.durationNanos())
                            : window.nearest(record.step(), record.durationNanos(), nearest));
        }
        return insights;
    }

    /** Reads the sample at the cursor into {@code current}; false when there is none yet. */
    private boolean readNext() {
        while (true) {
            long oldest = ring.oldestSequence();
            if (cursor < oldest) {
                missed += oldest - cursor;
                cursor = oldest;
            }
            if (cursor >= ring.count()) {
                return false;
            }
            if (ring.read(cursor, current)) {
                return true;
            }
            if (cursor >= ring.oldestSequence()) {
                return false; // being written now: the next step will read it
            }
        }
    }

    private SampleView nearest(StepRecord record) {
        if (pending && hasPrevious) {
            long before = record.startNanos() - previous.nanoTime();
            long after = current.nanoTime() - record.endNanos();
            return after < before ? current : previous;
        }
        if (pending) {
            return current;
        }
        return hasPrevious ? previous : null;
    }
}
