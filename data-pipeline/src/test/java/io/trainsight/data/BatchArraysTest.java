package io.trainsight.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * Arrays written through {@link BatchArrays} hold the values written, in the shape and type asked
 * for, and live in the engine's memory: building batch after batch reserves no direct buffers that
 * only a garbage collection would give back.
 */
class BatchArraysTest {

    @Test
    void theArrayHoldsTheValuesWrittenInItsShapeAndType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray floats =
                    BatchArrays.write(
                            manager,
                            new Shape(2, 3),
                            DataType.FLOAT32,
                            bytes -> {
                                FloatBuffer values = bytes.asFloatBuffer();
                                for (int i = 0; i < 6; i++) {
                                    values.put(i, i * 1.5f);
                                }
                            });
            assertThat(floats.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(floats.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(floats.toFloatArray()).containsExactly(0f, 1.5f, 3f, 4.5f, 6f, 7.5f);

            NDArray longs =
                    BatchArrays.write(
                            manager,
                            new Shape(3),
                            DataType.INT64,
                            bytes -> bytes.asLongBuffer().put(new long[] {7, -1, 1L << 40}));
            assertThat(longs.toLongArray()).containsExactly(7L, -1L, 1L << 40);

            NDArray labels = BatchArrays.of(manager, new float[] {3f, 1f}, new Shape(2));
            assertThat(labels.toFloatArray()).containsExactly(3f, 1f);
        }
    }

    @Test
    void anEmptyArrayIsMadeWithoutWriting() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray empty = BatchArrays.of(manager, new float[0], new Shape(0, 4));
            assertThat(empty.getShape()).isEqualTo(new Shape(0, 4));
        }
    }

    @Test
    void valuesThatDoNotFillTheShapeAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> BatchArrays.of(manager, new float[5], new Shape(2, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("5 values do not fill an array of shape (2, 3)");
        }
    }

    @Test
    void anArrayBeyondABuffersReachIsRefusedByName() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(
                            () ->
                                    BatchArrays.write(
                                            manager,
                                            new Shape(1 << 20, 1 << 10),
                                            DataType.FLOAT32,
                                            bytes -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(
                            "An array of shape (1048576, 1024) and type float32 holds 4294967296"
                                    + " bytes");
            assertThat(manager.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void aWriterThatFailsLeavesNoArrayBehind() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(
                            () ->
                                    BatchArrays.write(
                                            manager,
                                            new Shape(4),
                                            DataType.FLOAT32,
                                            bytes -> {
                                                throw new IllegalStateException("row 3 is broken");
                                            }))
                    .hasMessage("row 3 is broken");
            assertThat(manager.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void batchesReserveNoDirectBuffers() {
        BufferPoolMXBean direct =
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                        .filter(pool -> pool.getName().equals("direct"))
                        .findFirst()
                        .orElseThrow();
        int batches = 64;
        int floats = 1 << 18; // 1 MiB a batch
        float[] values = new float[floats];
        try (NDManager manager = NDManager.newBaseManager()) {
            long before = direct.getMemoryUsed();
            for (int i = 0; i < batches; i++) {
                values[0] = i;
                try (NDArray batch = BatchArrays.of(manager, values, new Shape(floats))) {
                    assertThat(batch.getFloat(0)).isEqualTo(i);
                }
            }
            // DJL's create(float[]) reserves a new 1 MiB direct buffer per batch, freed only by a
            // garbage collection; a collection could only lower the figure.
            assertThat(direct.getMemoryUsed() - before)
                    .as("direct buffer bytes reserved while building %d batches of 1 MiB", batches)
                    .isLessThan(8L << 20);
        }
    }
}
