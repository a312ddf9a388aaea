package io.trainsight.trainer.step;

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

    private ParameterSet(String[] names, Parameter[] parameters) {
        this.names = names;
        this.parameters = parameters;
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
        return parameters[i].getId();
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
