package io.trainsight.trainer.internal.update;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.Map;

/**
 * The private fields of DJL's classes that the fused forms read: the optimizers' hyperparameters,
 * per-parameter state maps and update counts (kept up to date too), and the settings of the softmax
 * cross-entropy loss. DJL offers no accessors; this is tied to DJL 0.36.0's field layout, and a
 * field it cannot find makes the optimizer or the loss run unfused, never wrong.
 */
final class DjlFields {

    private DjlFields() {}

    static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | InaccessibleObjectException | SecurityException e) {
            throw new IllegalStateException(
                    "DJL's " + type.getSimpleName() + " has no readable field " + name, e);
        }
    }

    static Object get(Object target, Class<?> type, String name) {
        try {
            return field(type, name).get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read " + type.getSimpleName() + "." + name, e);
        }
    }

    static float floatOf(Object target, Class<?> type, String name) {
        return ((Number) get(target, type, name)).floatValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<Device, NDArray>> stateOf(Object target, Class<?> type, String name) {
        return (Map<String, Map<Device, NDArray>>) get(target, type, name);
    }

    /** The update counts DJL's {@code Optimizer.updateCount} keeps, read and written in place. */
    static final class Counts {
        private final Optimizer optimizer;
        private final Map<String, Integer> counts;
        private final Field numUpdate;
        private final int begin;

        @SuppressWarnings("unchecked")
        Counts(Optimizer optimizer) {
            this.optimizer = optimizer;
            this.counts = (Map<String, Integer>) get(optimizer, Optimizer.class, "updateCounts");
            this.numUpdate = field(Optimizer.class, "numUpdate");
            this.begin = (Integer) get(optimizer, Optimizer.class, "beginNumUpdate");
        }

        /**
         * Returns the update number DJL would give each parameter in turn, without counting.
         *
         * @param ids the parameters, in update order
         * @param into one slot per parameter
         */
        void peek(String[] ids, int[] into) {
            int num = readNum();
            for (int i = 0; i < ids.length; i++) {
                Integer count = counts.get(ids[i]);
                num = Math.max(num, count == null ? begin + 1 : count + 1);
                into[i] = num;
            }
        }

        /**
         * Counts one update of every parameter, as DJL's {@code updateCount} does.
         *
         * @param ids the parameters
         */
        void count(String[] ids) {
            int num = readNum();
            for (String id : ids) {
                int count = counts.merge(id, begin + 1, (old, none) -> old + 1);
                num = Math.max(num, count);
            }
            try {
                numUpdate.setInt(optimizer, num);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Cannot write Optimizer.numUpdate", e);
            }
        }

        private int readNum() {
            try {
                return numUpdate.getInt(optimizer);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Cannot read Optimizer.numUpdate", e);
            }
        }
    }
}
