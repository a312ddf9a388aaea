package io.trainsight.trainer.internal.step;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainable parameters of a block, in the block's order, looked up once per run so the step
 * loop does not walk the block every step.
 */
public final class ParameterSet {

    private final String[] names;
    private final Parameter[] parameters;
    private final String[] ids;
    private final NDArray[] arrays;

    private ParameterSet(String[] names, Parameter[] parameters) {
        this.names = names;
        this.parameters = parameters;
        this.ids = new String[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            ids[i] = parameters[i].getId();
        }
        this.arrays = new NDArray[parameters.length];
    }

    /**
     * Collects the parameters of an initialized block that require a gradient.
     *
     * @param block the block
     * @return the parameters
     */
    public static ParameterSet of(Block block) {
        List<String> names = new ArrayList<>();
        List<Parameter> parameters = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getValue().requiresGradient()) {
                names.add(pair.getKey());
                parameters.add(pair.getValue());
            }
        }
        return new ParameterSet(names.toArray(String[]::new), parameters.toArray(Parameter[]::new));
    }

    /** Returns the number of parameters. */
    public int size() {
        return parameters.length;
    }

    /**
     * Returns the structural name of a parameter, stable across JVMs (e.g. {@code
     * 01Linear_weight}).
     *
     * @param i the index
     * @return the name
     */
    public String name(int i) {
        return names[i];
    }

    /**
     * Returns the id the optimizer keys its state by; it changes from one JVM to the next.
     *
     * @param i the index
     * @return the id
     */
    public String id(int i) {
        return ids[i];
    }

    /**
     * Returns the array that holds a parameter's value.
     *
     * @param i the index
     * @return the array
     */
    public NDArray array(int i) {
        return parameters[i].getArray();
    }

    /**
     * Returns the ids of all parameters, in order; the caller must not change the array.
     *
     * @return the ids
     */
    public String[] ids() {
        return ids;
    }

    /**
     * Returns the arrays that hold the parameters' values, looked up now; the array returned is
     * reused by the next call.
     *
     * @return the arrays, in order
     */
    public NDArray[] arrays() {
        for (int i = 0; i < parameters.length; i++) {
            arrays[i] = parameters[i].getArray();
        }
        return arrays;
    }

    /**
     * Fills {@code into} with a new wrapper of each parameter's gradient; close them after use.
     *
     * @param into an array of {@link #size()} slots
     */
    public void gradients(NDArray[] into) {
        for (int i = 0; i < parameters.length; i++) {
            into[i] = parameters[i].getArray().getGradient();
        }
    }
}
