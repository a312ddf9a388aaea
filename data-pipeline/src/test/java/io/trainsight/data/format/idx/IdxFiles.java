package io.trainsight.data.format.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {

    private IdxFiles() {}

    /** Returns an IDX file of unsigned bytes with the given dimensions and elements. */
    static byte[] ubyte(int[] dims, byte[] elements) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + elements.length);
        buffer.put(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int dim : dims) {
            buffer.putInt(dim);
        }
        buffer.put(elements);
        return buffer.array();
    }

    /**
     * Returns {@code count} images of {@code rows × cols} where image i's pixels are all {@code i}.
     */
    static byte[] images(int count, int rows, int cols) {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i / (rows * cols));
        }
        return ubyte(new int[] {count, rows, cols}, pixels);
    }

    /** Returns labels {@code i % classes}. */
    static byte[] labels(int count, int classes) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % classes);
        }
        return ubyte(new int[] {count}, labels);
    }

    /** Writes bytes to a file, gzipped if its name ends in .gz. */
    static Path write(Path file, byte[] bytes) throws IOException {
        if (!file.toString().endsWith(".gz")) {
            return Files.write(file, bytes);
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes);
        }
        return Files.write(file, gz.toByteArray());
    }
}
