package io.trainsight.trainer.internal.update;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/**
 * DJL's softmax cross-entropy loss as one libtorch operator: {@code cross_entropy_loss}, PyTorch's
 * {@code nn.CrossEntropyLoss}, run with autograd through a one-method TorchScript module. DJL's own
 * evaluation is a log-softmax, a pick by label, a negation and a mean, each a call into the engine
 * that makes an NDArray, and each a node the backward pass walks. The value is DJL's to rounding.
 *
 * <p>Used only for a loss that computes exactly this: {@link SoftmaxCrossEntropyLoss} itself (not a
 * subclass) with its defaults (class axis -1, sparse labels, from logits, weight 1), predictions of
 * shape {@code (batch, classes)} and labels of shape {@code (batch)}; anything else goes through
 * DJL's loss.
 */
public final class FusedLoss implements AutoCloseable {

    private static final String CLASS_NAME = "FusedLoss";
    private static final String SOURCE =
            "class FusedLoss(Module):\n"
                    + "  __parameters__ = []\n"
                    + "  __buffers__ = []\n"
                    + "  training : bool\n"
                    // reduction 1 is the mean, -100 PyTorch's ignore_index, 4 torch.int64
                    + "  def forward(self: __torch__.FusedLoss, pred: Tensor, label: Tensor) ->"
                    + " Tensor:\n"
                    + "    return torch.cross_entropy_loss(pred, torch.to(label, 4), None, 1,"
                    + " -100, 0.)\n";

    private final Loss loss;
    private final PtSymbolBlock module;
    private final PtNDManager manager;
    private final ParameterStore store;

    private FusedLoss(Loss loss, PtSymbolBlock module, PtNDManager manager) {
        this.loss = loss;
        this.module = module;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
    }

    /**
     * Returns the fused form of a loss, or null when the loss is not DJL's default softmax
     * cross-entropy or the engine cannot compile it.
     *
     * @param loss the run's loss
     * @param parent a PyTorch manager; the module gets one of its own under it
     * @return the fused loss, to close when done, or null
     */
    public static FusedLoss of(Loss loss, NDManager parent) {
        if (!isDefaultSoftmaxCrossEntropy(loss)) {
            return null;
        }
        try {
            TorchScriptArchive.Loaded loaded =
                    TorchScriptArchive.load(parent, CLASS_NAME, SOURCE, "the fused loss");
            return new FusedLoss(loss, loaded.module(), loaded.manager());
        } catch (IllegalStateException e) {
            return null; // not PyTorch, or libtorch cannot compile it: DJL's loss it is
        }
    }

    /** Whether the loss is exactly DJL's softmax cross-entropy with its default settings. */
    static boolean isDefaultSoftmaxCrossEntropy(Loss loss) {
        if (loss == null || loss.getClass() != SoftmaxCrossEntropyLoss.class) {
            return false;
        }
        try {
            Class<?> type = SoftmaxCrossEntropyLoss.class;
            return ((Number) DjlFields.get(loss, type, "classAxis")).intValue() == -1
                    && (Boolean) DjlFields.get(loss, type, "sparseLabel")
                    && (Boolean) DjlFields.get(loss, type, "fromLogit")
                    && DjlFields.floatOf(loss, type, "weight") == 1f;
        } catch (RuntimeException e) {
            return false; // another DJL version: its own evaluation is always right
        }
    }

    /**
     * Computes the loss of a batch, with autograd when a gradient collector is open.
     *
     * @param labels the labels
     * @param predictions the model's output
     * @return the mean loss, a scalar in the predictions' manager
     */
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.size() != 1 || predictions.size() != 1) {
            return loss.evaluate(labels, predictions);
        }
        NDArray pred = predictions.head();
        NDArray label = labels.head();
        if (pred.getShape().dimension() != 2
                || label.getShape().dimension() != 1
                || label.getShape().get(0) != pred.getShape().get(0)
                || pred.getDataType() != DataType.FLOAT32) {
            return loss.evaluate(labels, predictions);
        }
        return module.forward(store, new NDList(pred, label), true).singletonOrThrow();
    }

    @Override
    public void close() {
        module.close();
        manager.close();
    }
}
