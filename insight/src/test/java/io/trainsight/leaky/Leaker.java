package io.trainsight.leaky;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Training code with a leak, outside insight's packages so its frames count as the user's. */
public final class Leaker {

    private final NDManager kept;

    /**
     * Creates the leaker.
     *
     * @param kept the long-lived manager it attaches its arrays to
     */
    public Leaker(NDManager kept) {
        this.kept = kept;
    }

    /**
     * One step: a temporary that is closed, and an output kept attached to the long-lived manager.
     *
     * @param scratch the step's own manager
     */
    public void step(NDManager scratch) {
        NDArray temporary = scratch.ones(new ai.djl.ndarray.types.Shape(16));
        NDArray output = temporary.mul(2);
        output.attach(kept); // the leak: the output outlives the step
        temporary.close();
    }
}
