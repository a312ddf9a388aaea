package io.trainsight.data.internal.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Record;
import io.trainsight.data.BatchArrays;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * DJL's {@link ArrayDataset} gathered in Java: each array's rows are copied from a view of its
 * memory into one new buffer per batch, which becomes the batch's array without another copy: one
 * crossing into the engine per array, and no index array or indexing operation. DJL keeps the
 * arrays in protected fields; when they cannot be read (another DJL, a subset, arrays on a GPU) the
 * batch is gathered by DJL's own {@code getByIndices} instead.
 */
final class ArrayRows extends Gather {

    private final Column[] data;
    private final Column[] labels;

    private ArrayRows(Column[] data, Column[] labels) {
        this.data = data;
        this.labels = labels;
    }

    /**
     * Returns the Java gather of a data set's arrays, or null when they cannot be read so.
     *
     * @param dataset the data set
     * @return the gather, or null
     */
    static Gather of(ArrayDataset dataset) {
        try {
            NDArray[] data = (NDArray[]) read(dataset, "data");
            NDArray[] labels = (NDArray[]) read(dataset, "labels");
            if (data == null || data.length == 0) {
                return null; // a subset keeps its parent's arrays, not its own
            }
            Column[] dataColumns = columns(data);
            Column[] labelColumns = labels == null ? new Column[0] : columns(labels);
            return dataColumns == null || labelColumns == null
                    ? null
                    : new ArrayRows(dataColumns, labelColumns);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object read(ArrayDataset dataset, String name)
            throws ReflectiveOperationException {
        Field field = ArrayDataset.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(dataset);
    }

    private static Column[] columns(NDArray[] arrays) {
        Column[] columns = new Column[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            NDArray array = arrays[i];
            Shape shape = array.getShape();
            DataType type = array.getDataType();
            if (!array.getDevice().equals(Device.cpu())
                    || shape.dimension() == 0
                    || type == DataType.STRING
                    || type == DataType.UNKNOWN) {
                return null;
            }
            long rows = shape.get(0);
            long rowBytes = rows == 0 ? 0 : array.size() / rows * type.getNumOfBytes();
            columns[i] =
                    new Column(
                            array.toByteBuffer(true),
                            Math.toIntExact(rowBytes),
                            shape.slice(1),
                            type);
        }
        return columns;
    }

    @Override
    Record read(NDManager manager, long[] indices) {
        return new Record(gather(manager, data, indices), gather(manager, labels, indices));
    }

    private static NDList gather(NDManager manager, Column[] columns, long[] indices) {
        NDList list = new NDList(columns.length);
        for (Column column : columns) {
            int row = column.rowBytes;
            list.add(
                    BatchArrays.write(
                            manager,
                            column.batchShape(indices.length),
                            column.type,
                            batch -> {
                                for (int i = 0; i < indices.length; i++) {
                                    batch.put(
                                            i * row,
                                            column.view,
                                            Math.toIntExact(indices[i] * row),
                                            row);
                                }
                            }));
        }
        return list;
    }

    /** One array of the data set. */
    private static final class Column {
        private final ByteBuffer view;
        private final int rowBytes;
        private final Shape rowShape;
        private final DataType type;
        private volatile Shape lastBatchShape;

        /**
         * Describes an array.
         *
         * @param view its memory, read-only here
         * @param rowBytes the bytes of one sample
         * @param rowShape the shape of one sample
         * @param type the element type
         */
        Column(ByteBuffer view, int rowBytes, Shape rowShape, DataType type) {
            this.view = view;
            this.rowBytes = rowBytes;
            this.rowShape = rowShape;
            this.type = type;
        }

        /** Returns the shape of a batch of n rows; DJL's Shape is slow to build, so it is kept. */
        Shape batchShape(int n) {
            Shape last = lastBatchShape;
            if (last == null || last.get(0) != n) {
                last = new Shape(n).addAll(rowShape);
                lastBatchShape = last;
            }
            return last;
        }
    }
}
