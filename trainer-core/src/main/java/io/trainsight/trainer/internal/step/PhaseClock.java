package io.trainsight.trainer.internal.step;

import io.trainsight.insight.timeline.PhaseTiming;
import java.util.function.LongSupplier;

/**
 * Times the phases of a step (forward with the loss, backward, optimizer) so that they mean the
 * device's work. On the CPU the work runs on the calling thread: the host's clock is enough, every
 * step. On a GPU the host only queues kernels, so a host timestamp marks a launch, and the device's
 * work shows up wherever the host next waits; device time needs the host to wait for the device
 * ({@link DeviceSync}) at each phase boundary. That wait costs the overlap of host and device, so
 * it is done on every {@code every}-th step only; the other steps are timed whole ({@link
 * PhaseTiming#NONE}), their phases not at all.
 *
 * <p>Use: {@link #beginStep} once per step, then {@link #mark()} at each boundary; {@link
 * #timing()} says how the step's phases were measured. One clock per loop, not thread-safe.
 */
public final class PhaseClock {

    private final DeviceSync sync;
    private final int every;
    private final LongSupplier clock;
    private boolean sampled;

    /**
     * Creates a clock.
     *
     * @param sync waits for the device; null on the CPU (host time, every step)
     * @param every synchronize every this many steps (0: never; the phases of device steps are then
     *     not timed)
     * @param clock the time source, normally {@code System::nanoTime}
     */
    public PhaseClock(DeviceSync sync, int every, LongSupplier clock) {
        if (every < 0) {
            throw new IllegalArgumentException("every must be 0 or more steps, got " + every);
        }
        this.sync = sync;
        this.every = every;
        this.clock = clock;
    }

    /**
     * The clock of a CPU run: the host's time, every step.
     *
     * @return the clock
     */
    public static PhaseClock host() {
        return new PhaseClock(null, 0, System::nanoTime);
    }

    /**
     * Starts a step: decides whether its phases are synchronized.
     *
     * @param step the 1-based step number
     */
    public void beginStep(long step) {
        sampled = sync != null && every > 0 && step % every == 0;
    }

    /**
     * Marks a phase boundary: waits for the device first on a synchronized step.
     *
     * @return the time, nanoseconds
     */
    public long mark() {
        if (sampled) {
            sync.synchronize();
        }
        return clock.getAsLong();
    }

    /**
     * Reads the time without waiting, for a boundary that directly follows a {@link #mark()}.
     *
     * @return the time, nanoseconds
     */
    public long now() {
        return clock.getAsLong();
    }

    /**
     * Says how the current step's phases are measured.
     *
     * @return {@link PhaseTiming#HOST} on the CPU, {@link PhaseTiming#DEVICE} on a synchronized
     *     device step, {@link PhaseTiming#NONE} on the others
     */
    public PhaseTiming timing() {
        if (sync == null) {
            return PhaseTiming.HOST;
        }
        return sampled ? PhaseTiming.DEVICE : PhaseTiming.NONE;
    }

    /**
     * Waits until a device has done all the work queued for it.
     *
     * <p>Implementations must make the host wait for every kernel queued before the call.
     */
    @FunctionalInterface
    public interface DeviceSync {
        /** Blocks until the device's queued work is done. */
        void synchronize();
    }
}
