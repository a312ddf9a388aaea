package io.trainsight.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * New arrays whose values Java writes straight into the engine's memory: what a {@link
 * GatheringDataset} (or any code that builds a batch per step) should create its arrays with.
 *
 * <p>DJL's {@code NDManager.create(float[], Shape)}, and {@code create} of any buffer but a direct
 * one, first copies the values into a new direct buffer, which the array then keeps: the JVM zeroes
 * that buffer, and its memory is freed only when the garbage collector finds the buffer
 * unreachable. Each batch so lands in memory that is new to the process and to the caches, and a
 * JVM short of direct memory stops for a full collection. Here the engine allocates the array (its
 * allocator gives the memory of the batch closed before to the next one) and the values are written
 * through a view of it: one copy, no garbage. A manager of another engine or of a GPU gets DJL's
 * way.
 *
 * <pre>{@code
 * NDArray batch = BatchArrays.write(manager, new Shape(n, width), DataType.FLOAT32, bytes -> {
 *     FloatBuffer rows = bytes.asFloatBuffer();
 *     for (int i = 0; i < n; i++) {
 *         rows.put(i * width, features, (int) indices[i] * width, width);
 *     }
 * });
 * }</pre>
 */
public final class BatchArrays {

    /** The engine whose CPU arrays {@code toByteBuffer(true)} answers with a view of. */
    private static final String PYTORCH = "PyTorch";

    private BatchArrays() {}

    /**
     * Creates an array and has its values written.
     *
     * @param manager the manager the array belongs to
     * @param shape its shape
     * @param type its element type
     * @param writer writes every element, with absolute puts, into a native-order buffer of exactly
     *     the array's bytes (row-major)
     * @return the array
     */
    public static NDArray write(
            NDManager manager, Shape shape, DataType type, Consumer<ByteBuffer> writer) {
        long size = shape.size() * type.getNumOfBytes();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "An array of shape "
                            + shape
                            + " and type "
                            + type
                            + " holds "
                            + size
                            + " bytes; BatchArrays writes arrays of at most 2 GiB (a Java buffer's"
                            + " limit): split the batch");
        }
        int bytes = (int) size;
        if (bytes > 0
                && PYTORCH.equals(manager.getEngine().getEngineName())
                && Device.cpu().equals(manager.getDevice())) {
            NDArray array = manager.create(shape, type); // uninitialized, the engine's memory
            try {
                writer.accept(array.toByteBuffer(true).order(ByteOrder.nativeOrder()));
                return array;
            } catch (RuntimeException | Error e) {
                array.close();
                throw e;
            }
        }
        // Another engine or a GPU's manager: a view would be a copy, so fill a buffer and hand it
        // over as DJL does.
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        writer.accept(buffer);
        return manager.create(buffer, shape, type);
    }

    /**
     * Creates a float array from Java values.
     *
     * @param manager the manager the array belongs to
     * @param values the values, row-major, as many as the shape holds
     * @param shape the array's shape
     * @return the array
     */
    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(
                    values.length + " values do not fill an array of shape " + shape);
        }
        return write(manager, shape, DataType.FLOAT32, view -> view.asFloatBuffer().put(values));
    }
}
