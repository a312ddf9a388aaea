package io.trainsight.data.format.idx;

import io.trainsight.data.format.MalformedDataException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file (the format of MNIST and Fashion-MNIST), gzipped or not: a magic number {@code 00 00
 * TT DD} (element type, number of dimensions), the dimensions as big-endian 32-bit sizes, then the
 * elements, big-endian, row-major. The first dimension counts the samples. Gzip is recognised by
 * its own magic number, whatever the file name.
 */
final class IdxFile {

    /** Every unsigned byte scaled to [0, 1], so a pixel costs a load, not a division. */
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < UNIT.length; i++) {
            UNIT[i] = i / 255f;
        }
    }

    /** A sample's bytes, copied out of the buffer in one go, per reading thread. */
    private static final ThreadLocal<byte[]> PIXELS = ThreadLocal.withInitial(() -> new byte[0]);

    private final Path path;
    private final IdxType type;
    private final int[] dims;
    private final ByteBuffer data;
    private final int sampleElements;

    private IdxFile(Path path, IdxType type, int[] dims, ByteBuffer data) {
        this.path = path;
        this.type = type;
        this.dims = dims;
        this.data = data;
        int elements = 1;
        for (int d = 1; d < dims.length; d++) {
            elements *= dims[d];
        }
        this.sampleElements = elements;
    }

    /**
     * Reads and checks a file.
     *
     * @param path the file
     * @return the file's contents
     * @throws MalformedDataException if the magic number is wrong, or the header or data are cut
     *     short or followed by more bytes, naming the byte offset
     * @throws IOException if the file cannot be read
     */
    static IdxFile read(Path path) throws IOException {
        byte[] bytes = readAll(path);
        String where = isGzip(path) ? " of the uncompressed data" : "";
        ByteBuffer buffer = ByteBuffer.wrap(bytes); // big-endian, as IDX is
        if (bytes.length < 4) {
            throw new MalformedDataException(
                    path,
                    "the file is "
                            + bytes.length
                            + " bytes long; an IDX file starts with a 4-byte magic number");
        }
        IdxType type = IdxType.of(bytes[2] & 0xFF);
        int rank = bytes[3] & 0xFF;
        if (bytes[0] != 0 || bytes[1] != 0 || type == null || rank == 0) {
            throw new MalformedDataException(
                    path,
                    String.format(
                            Locale.ROOT,
                            "byte 0%s: the magic number is 0x%08X; an IDX file starts with 0x0000,"
                                    + " a type code (0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E) and a"
                                    + " dimension count of 1 or more",
                            where,
                            buffer.getInt(0)));
        }
        int header = 4 + 4 * rank;
        if (bytes.length < header) {
            throw new MalformedDataException(
                    path,
                    "byte "
                            + bytes.length
                            + where
                            + ": the file ends inside its header, which holds "
                            + rank
                            + " dimension sizes (bytes 4 to "
                            + (header - 1)
                            + ")");
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = buffer.getInt(4 + 4 * d);
            if (dims[d] < 0) {
                throw new MalformedDataException(
                        path, "byte " + (4 + 4 * d) + where + ": dimension " + d + " is negative");
            }
            elements *= dims[d];
        }
        long expected = header + elements * type.bytes();
        if (bytes.length != expected) {
            long sampleBytes = Math.max(1, dims[0] == 0 ? 1 : elements / dims[0] * type.bytes());
            long sample = (bytes.length - header) / sampleBytes;
            throw new MalformedDataException(
                    path,
                    "byte "
                            + bytes.length
                            + where
                            + ": the header declares "
                            + shape(dims)
                            + " elements of "
                            + type.bytes()
                            + " byte(s), "
                            + expected
                            + " bytes in all, but the file "
                            + (bytes.length < expected
                                    ? "ends here, in sample " + sample + " (truncated)"
                                    : "goes on to byte " + bytes.length + " (extra data)"));
        }
        return new IdxFile(path, type, dims, buffer.position(header).slice());
    }

    /** Returns the file read. */
    Path path() {
        return path;
    }

    /** Returns the element type. */
    IdxType type() {
        return type;
    }

    /** Returns the dimensions; the first counts the samples. */
    int[] dims() {
        return dims.clone();
    }

    /** Returns the number of samples. */
    int count() {
        return dims[0];
    }

    /**
     * Copies one sample's elements as floats; unsigned bytes (pixels) are scaled to [0, 1].
     *
     * @param index the sample
     * @return its elements, row-major
     */
    float[] sample(int index) {
        float[] out = new float[sampleElements];
        copySample(index, out, 0);
        return out;
    }

    /**
     * Copies one sample's elements as floats into part of an array, as {@link #sample} returns
     * them.
     *
     * @param index the sample
     * @param into the array
     * @param at where in it the sample's first element goes
     */
    void copySample(int index, float[] into, int at) {
        int offset = index * sampleElements * type.bytes();
        if (type == IdxType.UNSIGNED_BYTE) {
            byte[] pixels = PIXELS.get();
            if (pixels.length < sampleElements) {
                pixels = new byte[sampleElements];
                PIXELS.set(pixels);
            }
            data.get(offset, pixels, 0, sampleElements);
            for (int i = 0; i < sampleElements; i++) {
                into[at + i] = UNIT[pixels[i] & 0xFF];
            }
        } else {
            for (int i = 0; i < sampleElements; i++) {
                into[at + i] = (float) type.read(data, offset + i * type.bytes());
            }
        }
    }

    /**
     * Returns whether the elements are unsigned bytes (pixels), which batches scale in libtorch.
     */
    boolean unsignedBytes() {
        return type == IdxType.UNSIGNED_BYTE;
    }

    /**
     * Copies one sample's bytes, as stored, into part of a buffer (a bulk copy, fast from the first
     * call on, where a per-element loop runs slowly until the JIT compiles it).
     *
     * @param index the sample
     * @param into the buffer
     * @param at where in it the sample's first byte goes
     */
    void copySampleBytes(int index, ByteBuffer into, int at) {
        int bytes = sampleElements * type.bytes();
        into.put(at, data, index * bytes, bytes);
    }

    /**
     * Reads the element at a position of a one-dimensional file.
     *
     * @param index the position
     * @return the element
     */
    double scalar(int index) {
        return type.read(data, index * type.bytes());
    }

    /** Returns the dimensions as {@code 60000×28×28}. */
    static String shape(int[] dims) {
        return String.join(
                "×", Arrays.stream(dims).mapToObj(Integer::toString).toArray(String[]::new));
    }

    private static byte[] readAll(Path path) throws IOException {
        if (!isGzip(path)) {
            return Files.readAllBytes(path);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        byte[] chunk = new byte[1 << 16];
        try (InputStream in =
                new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path)), 1 << 16)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException | ZipException e) {
            throw new MalformedDataException(
                    path,
                    "byte "
                            + out.size()
                            + " of the uncompressed data: the gzip stream "
                            + (e instanceof EOFException
                                    ? "ends early"
                                    : "is corrupt (" + e.getMessage() + ")")
                            + "; is the file complete?",
                    e);
        }
    }

    private static boolean isGzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1F && in.read() == 0x8B;
        }
    }
}
