package io.trainsight.trainer.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.trainer.internal.step.ParameterSet;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of a DJL optimizer (update counts, Adam's moments, SGD's momentum...), keyed by
 * parameter name so it can be restored in another JVM, where parameter ids differ.
 *
 * <p>DJL keeps this state in private fields and offers no way to save it, so it is read and written
 * by reflection: every {@code Map<String, Map<Device, NDArray>>} field of the optimizer's class
 * (the per-parameter arrays of all DJL optimizers), the base class's {@code updateCounts} and its
 * {@code numUpdate}. This is tied to DJL's field layout (checked with DJL 0.36.0); a layout it
 * cannot read fails loudly when the checkpoint is written, not when it is read.
 *
 * @param numUpdate the optimizer's global update count
 * @param updateCounts each parameter's update count, by parameter name
 * @param arrays each state field's arrays, by field name then parameter name
 */
public record OptimizerState(
        int numUpdate,
        Map<String, Integer> updateCounts,
        Map<String, Map<String, NDArray>> arrays) {

    private static final String UPDATE_COUNTS = "updateCounts";
    private static final String NUM_UPDATE = "numUpdate";

    /**
     * Reads an optimizer's state; the arrays are the optimizer's own, not copies.
     *
     * @param optimizer the optimizer
     * @param parameters the parameters it updates
     * @return the state
     */
    public static OptimizerState capture(Optimizer optimizer, ParameterSet parameters) {
        Map<String, String> nameById = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            nameById.put(parameters.id(i), parameters.name(i));
        }
        int numUpdate = (Integer) read(field(Optimizer.class, NUM_UPDATE), optimizer);
        Map<String, Integer> counts = new TreeMap<>();
        for (Map.Entry<?, ?> entry :
                map(field(Optimizer.class, UPDATE_COUNTS), optimizer).entrySet()) {
            String name = nameById.get((String) entry.getKey());
            if (name != null) {
                counts.put(name, (Integer) entry.getValue());
            }
        }
        Map<String, Map<String, NDArray>> arrays = new TreeMap<>();
        for (Field field : stateFields(optimizer.getClass())) {
            Map<String, NDArray> byName = new TreeMap<>();
            for (Map.Entry<?, ?> entry : map(field, optimizer).entrySet()) {
                String name = nameById.get((String) entry.getKey());
                Map<?, ?> byDevice = (Map<?, ?>) entry.getValue();
                if (name != null && !byDevice.isEmpty()) {
                    byName.put(name, (NDArray) byDevice.values().iterator().next());
                }
            }
            arrays.put(field.getName(), byName);
        }
        return new OptimizerState(numUpdate, counts, arrays);
    }

    /**
     * Writes this state into an optimizer, replacing its own; the arrays become the optimizer's.
     *
     * @param optimizer the optimizer, of the same class as the one captured
     * @param parameters the parameters it updates, with the names of the captured ones
     * @param device the device the optimizer updates on
     */
    @SuppressWarnings("unchecked")
    public void restoreInto(Optimizer optimizer, ParameterSet parameters, Device device) {
        Map<String, String> idByName = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            idByName.put(parameters.name(i), parameters.id(i));
        }
        write(field(Optimizer.class, NUM_UPDATE), optimizer, numUpdate);
        Map<String, Integer> counts =
                (Map<String, Integer>) map(field(Optimizer.class, UPDATE_COUNTS), optimizer);
        counts.clear();
        updateCounts.forEach((name, count) -> counts.put(idOf(idByName, name), count));
        for (Field field : stateFields(optimizer.getClass())) {
            Map<String, Map<Device, NDArray>> state =
                    (Map<String, Map<Device, NDArray>>) map(field, optimizer);
            state.clear();
            Map<String, NDArray> saved = arrays.getOrDefault(field.getName(), Map.of());
            saved.forEach(
                    (name, array) -> {
                        Map<Device, NDArray> byDevice = new ConcurrentHashMap<>();
                        byDevice.put(device, array);
                        state.put(idOf(idByName, name), byDevice);
                    });
        }
    }

    private static String idOf(Map<String, String> idByName, String name) {
        String id = idByName.get(name);
        if (id == null) {
            throw new IllegalArgumentException(
                    "The checkpoint's optimizer state names parameter '"
                            + name
                            + "', which this model does not have; valid: "
                            + idByName.keySet());
        }
        return id;
    }

    /** The per-parameter array maps of an optimizer class and its superclasses. */
    private static Iterable<Field> stateFields(Class<?> type) {
        Map<String, Field> fields = new TreeMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())
                        && Map.class.isAssignableFrom(field.getType())
                        && !field.getName().equals(UPDATE_COUNTS)) {
                    fields.put(field.getName(), accessible(field));
                }
            }
        }
        return fields.values();
    }

    private static Field field(Class<?> type, String name) {
        try {
            return accessible(type.getDeclaredField(name));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "Cannot read the optimizer's state: DJL's "
                            + type.getName()
                            + " has no field "
                            + name
                            + " (the layout trainsight was written for changed)",
                    e);
        }
    }

    private static Field accessible(Field field) {
        try {
            field.setAccessible(true);
            return field;
        } catch (InaccessibleObjectException e) {
            throw new IllegalStateException(
                    "Cannot read the optimizer's state: "
                            + field
                            + " is not accessible; run DJL on the class path, not the module path",
                    e);
        }
    }

    private static Map<?, ?> map(Field field, Optimizer optimizer) {
        return (Map<?, ?>) read(field, optimizer);
    }

    private static Object read(Field field, Object target) {
        try {
            return field.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read " + field, e);
        }
    }

    private static void write(Field field, Object target, Object value) {
        try {
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot write " + field, e);
        }
    }
}
