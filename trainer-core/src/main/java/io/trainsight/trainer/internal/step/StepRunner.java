package io.trainsight.trainer.internal.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.IValue;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.insight.timeline.PhaseTiming;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.trainer.amp.LossScaler;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.internal.amp.MasterWeights;
import io.trainsight.trainer.internal.update.FusedLoss;
import io.trainsight.trainer.internal.update.StepKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one optimizer step as a sequence of micro-batches: forward, loss and backward for each
 * (gradients add up across them, the loss divided by the number of micro-batches), then unscaling,
 * the inf/NaN check, clipping and the update, and finally one read of the loss, which waits for the
 * device. A step of one micro-batch in FP32 with a fused optimizer hands the backward pass's
 * gradients straight to the update instead ({@link StepKernels#gradients}): nothing is added to the
 * parameters' gradients, so nothing has to be zeroed. The phases are timed by a {@link PhaseClock}:
 * on a GPU it waits for the device at each boundary of its sampled steps, so forward, backward and
 * optimizer are device time there.
 *
 * <p>Use: {@link #begin}, then {@link #addMicroBatch} once per micro-batch, then {@link #finish}.
 * Not thread-safe; one runner per loop.
 */
public final class StepRunner implements AutoCloseable {

    /**
     * The system property that turns the step kernels off ({@code off}): every gradient operation
     * and the optimizer then go parameter by parameter through DJL, as before them, and the loss is
     * DJL's own evaluation rather than the {@link FusedLoss}.
     */
    public static final String KERNELS_PROPERTY = "trainsight.step-kernels";

    /**
     * The system property that keeps the gradients on the parameters ({@code off}): the backward
     * pass adds to them and the update zeroes them, as without the step kernels, instead of handing
     * the gradients straight to the update.
     */
    public static final String DIRECT_PROPERTY = "trainsight.direct-gradients";

    private static final Logger logger = LoggerFactory.getLogger(StepRunner.class);

    private final Trainer trainer;
    private final Optimizer optimizer;
    private final ParameterSet parameters;
    private final int accumulate;
    private final GradientClipping clipping;
    private final LossScaler scaler;
    private final MasterWeights masters;
    private final NDArray[] gradients;
    private final boolean directUpdate;
    private final PhaseClock phases;
    private final StepKernels kernels;
    private final Fp32Update fp32;
    private final FusedLoss fusedLoss;
    private final Inputs inputs;
    private final boolean direct;

    private final NDArray[] losses;
    private IValue pending;
    private int lossCount;
    private long step;
    private int epoch;
    private long start;
    private long dataWait;
    private long forward;
    private long backward;
    private int microBatches;
    private int samples;

    /**
     * Creates a runner.
     *
     * @param trainer the trainer, initialized
     * @param optimizer the trainer's optimizer, stepped directly under mixed precision
     * @param accumulate the number of micro-batches per optimizer step
     * @param clipping the gradient clipping
     * @param scaler the loss scaler under mixed precision, or null for FP32
     * @param phases times the phases (device time on a GPU's synchronized steps)
     * @param channelsLast whether image batches are laid out channels-last before the forward pass
     */
    public StepRunner(
            Trainer trainer,
            Optimizer optimizer,
            int accumulate,
            GradientClipping clipping,
            LossScaler scaler,
            PhaseClock phases,
            boolean channelsLast) {
        this.trainer = trainer;
        this.optimizer = optimizer;
        this.parameters = ParameterSet.of(trainer.getModel().getBlock());
        this.accumulate = accumulate;
        this.clipping = clipping;
        this.scaler = scaler;
        this.masters = scaler == null ? null : new MasterWeights(parameters);
        this.gradients = new NDArray[parameters.size()];
        this.losses = new NDArray[accumulate * trainer.getDevices().length];
        this.directUpdate = trainer.getDevices().length == 1;
        this.phases = phases;
        this.inputs = new Inputs(scaler != null, channelsLast);
        this.kernels = directUpdate && scaler == null ? loadKernels(trainer) : null;
        this.fp32 =
                scaler == null && directUpdate
                        ? new Fp32Update(optimizer, parameters, clipping, kernels)
                        : null;
        this.fusedLoss =
                kernels == null ? null : FusedLoss.of(trainer.getLoss(), trainer.getManager());
        // One backward pass per step: its gradients can go straight to the fused update.
        this.direct =
                fp32 != null
                        && fp32.fused()
                        && accumulate == 1
                        && !"off".equalsIgnoreCase(System.getProperty(DIRECT_PROPERTY, "on"));
        if (fp32 != null) {
            logger.debug(
                    "Step kernels {}; optimizer {}; gradients {}",
                    kernels == null ? "off" : "on",
                    fp32.fused() ? "fused" : "per parameter (DJL)",
                    direct ? "handed to the update" : "kept on the parameters");
        }
    }

    private static StepKernels loadKernels(Trainer trainer) {
        if ("off".equalsIgnoreCase(System.getProperty(KERNELS_PROPERTY, "on"))) {
            return null;
        }
        try {
            return StepKernels.load(trainer.getManager());
        } catch (IllegalStateException e) {
            logger.debug("Step kernels unavailable, updating parameter by parameter: {}", e);
            return null;
        }
    }

    /** Returns the trainable parameters. */
    public ParameterSet parameters() {
        return parameters;
    }

    /** Returns the FP32 masters under mixed precision, else null. */
    public MasterWeights masters() {
        return masters;
    }

    /**
     * Starts a step.
     *
     * @param step the 1-based step number
     * @param epoch the 1-based epoch
     * @param startNanos when the loop asked for the step's first batch
     */
    public void begin(long step, int epoch, long startNanos) {
        this.step = step;
        this.epoch = epoch;
        this.start = startNanos;
        phases.beginStep(step);
        dataWait = 0;
        forward = 0;
        backward = 0;
        microBatches = 0;
        samples = 0;
        lossCount = 0;
    }

    /**
     * Returns how the steps prepare a batch's inputs, for evaluating the model the same way.
     *
     * @return the preparation
     */
    public Inputs inputs() {
        return inputs;
    }

    /**
     * Runs forward and backward on one micro-batch; the caller closes the batch afterwards.
     *
     * @param batch the micro-batch
     * @param waitNanos how long the loop waited for it
     */
    public void addMicroBatch(Batch batch, long waitNanos) {
        dataWait += waitNanos;
        microBatches++;
        samples += batch.getSize();
        Batch[] splits = batch.split(trainer.getDevices(), false);
        float backwardScale = (scaler == null ? 1f : scaler.getScale()) / accumulate;
        for (Batch split : splits) {
            long t0 = phases.mark();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList labels = split.getLabels();
                NDList predictions = trainer.forward(inputs.prepare(split.getData()), labels);
                NDArray loss =
                        fusedLoss != null
                                ? fusedLoss.evaluate(labels, predictions)
                                : trainer.getLoss().evaluate(labels, predictions);
                long t1 = phases.mark();
                if (direct) {
                    if (pending != null) {
                        throw new IllegalStateException("a second micro-batch in a step of one");
                    }
                    pending = fp32.backward(loss); // the loss is not scaled: one micro-batch, FP32
                } else {
                    collector.backward(backwardScale == 1f ? loss : loss.mul(backwardScale));
                }
                forward += t1 - t0;
                backward += phases.mark() - t1;
                addLoss(loss);
            }
        }
    }

    /** Keeps the loss past the batch's close, to read it once the step's device work is done. */
    private void addLoss(NDArray loss) {
        NDArray kept = loss.toType(DataType.FLOAT32, false);
        kept.detach();
        losses[lossCount++] = kept;
    }

    /** Reads the kept losses: the first read waits for the device to finish the step. */
    private float meanLoss() {
        float sum = 0;
        for (int i = 0; i < lossCount; i++) {
            // A loss is one FLOAT32 element: read it as it is, without DJL's getFloat indexing.
            sum += losses[i].size() == 1 ? losses[i].toFloatArray()[0] : losses[i].getFloat();
        }
        return sum / lossCount;
    }

    /**
     * Updates the parameters from the gradients of the micro-batches added since {@link #begin}.
     *
     * @return the step's record
     */
    public StepRecord finish() {
        try {
            long optimizerStart = phases.now(); // the last backward waited for the device
            // A short last step of an epoch divided its losses by more micro-batches than it had.
            float correction = (float) accumulate / microBatches;
            float norm = Float.NaN;
            boolean skipped = false;
            float scale = scaler == null ? 1f : scaler.getScale();
            if (scaler != null) {
                NDArray[] unscaled = masters.unscaledGradients(correction / scale);
                try {
                    norm = GradientOps.globalNorm(unscaled);
                    skipped = !Float.isFinite(norm);
                    if (!skipped) {
                        clip(unscaled, norm);
                        masters.update(optimizer);
                    }
                } finally {
                    masters.finishStep();
                }
                scaler.update(skipped);
            } else if (pending != null) {
                norm = fp32.apply(correction, pending);
            } else if (fp32 != null) {
                norm = fp32.apply(correction);
            } else {
                parameters.gradients(gradients);
                try {
                    if (correction != 1f) {
                        GradientOps.scale(gradients, correction);
                    }
                    trainer.step();
                } finally {
                    GradientOps.close(gradients);
                }
            }
            long optimizerNanos = phases.mark() - optimizerStart;
            float loss = meanLoss(); // waits for the device
            long end = System.nanoTime();
            PhaseTiming timing = phases.timing();
            boolean timed = timing != PhaseTiming.NONE;
            return new StepRecord(
                    step,
                    epoch,
                    start,
                    end,
                    dataWait,
                    timed ? forward : 0,
                    timed ? backward : 0,
                    timed ? optimizerNanos : 0,
                    loss,
                    samples,
                    microBatches,
                    scale,
                    norm,
                    skipped,
                    timing);
        } finally {
            releaseStep();
        }
    }

    private void releaseStep() {
        if (pending != null) {
            pending.close();
            pending = null;
        }
        for (int i = 0; i < lossCount; i++) {
            losses[i].close();
            losses[i] = null;
        }
        lossCount = 0;
    }

    private void clip(NDArray[] grads, float norm) {
        float factor = clipping.normFactor(norm);
        if (factor < 1f) {
            GradientOps.scale(grads, factor);
        }
        if (clipping.clipsValue()) {
            GradientOps.clampValues(grads, clipping.maxValue());
        }
    }

    /** Drops the gradients of a step that cannot finish, e.g. after an out-of-memory error. */
    public void abandon() {
        GradientOps.zero(parameters);
        releaseStep();
    }

    @Override
    public void close() {
        releaseStep(); // a step that neither finished nor was abandoned
        if (fusedLoss != null) {
            fusedLoss.close();
        }
        if (masters != null) {
            masters.close();
        }
        if (fp32 != null) {
            fp32.close();
        }
        if (kernels != null) {
            kernels.close();
        }
    }
}
