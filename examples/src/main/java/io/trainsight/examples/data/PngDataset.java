package io.trainsight.examples.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.trainsight.data.BatchArrays;
import io.trainsight.data.GatheringDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Images kept as PNG files in memory, read the slow way: every {@link #get} waits a fixed storage
 * latency (a disk or network read, modelled by parking the thread, so it costs time but no CPU) and
 * then really decodes the PNG with {@code javax.imageio}. A loader with worker threads hides the
 * latency; a loader without them makes every step wait for it.
 */
public final class PngDataset extends RandomAccessDataset implements GatheringDataset {

    private final List<byte[]> pngs;
    private final float[] labels;
    private final int size;
    private final long latencyNanos;

    private PngDataset(
            Builder builder, List<byte[]> pngs, float[] labels, int size, Duration latency) {
        super(builder);
        this.pngs = pngs;
        this.labels = labels;
        this.size = size;
        this.latencyNanos = latency.toNanos();
    }

    /**
     * Draws pattern images and encodes each as a grayscale PNG.
     *
     * @param images the images to draw
     * @param samples how many
     * @param batchSize the batch size
     * @param shuffle whether to shuffle
     * @param seed the seed of the images
     * @param latency the storage latency of each read
     * @return the data set
     */
    public static PngDataset generate(
            PatternImages images,
            int samples,
            int batchSize,
            boolean shuffle,
            long seed,
            Duration latency) {
        Random random = new Random(seed);
        int size = images.size();
        List<byte[]> pngs = new java.util.ArrayList<>(samples);
        float[] labels = new float[samples];
        for (int i = 0; i < samples; i++) {
            int label = i % PatternImages.CLASSES;
            labels[i] = label;
            pngs.add(encode(images.image(label, random), size));
        }
        Builder builder = new Builder().setSampling(batchSize, shuffle);
        return new PngDataset(builder, pngs, labels, size, latency);
    }

    private static byte[] encode(float[] pixels, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                int gray = Math.max(0, Math.min(255, Math.round(pixels[r * size + c] * 127 + 64)));
                image.getRaster().setSample(c, r, 0, gray);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a generated PNG", e);
        }
        return out.toByteArray();
    }

    @Override
    public Record get(NDManager manager, long index) throws IOException {
        float[] pixels = new float[size * size];
        int sample = read(index, pixels, 0);
        NDArray data = manager.create(pixels, new Shape(1, size, size));
        NDArray label = manager.create(labels[sample]);
        return new Record(new NDList(data), new NDList(label));
    }

    /**
     * Reads the samples one after the other, as {@link #get} does, into one array per batch: the
     * loader's workers then create two arrays a batch instead of two a sample and a stack.
     */
    @Override
    public Record getBatch(NDManager manager, long[] indices) throws IOException {
        int n = indices.length;
        float[] pixels = new float[n * size * size];
        float[] batchLabels = new float[n];
        for (int i = 0; i < n; i++) {
            batchLabels[i] = labels[read(indices[i], pixels, i * size * size)];
        }
        NDArray data = BatchArrays.of(manager, pixels, new Shape(n, 1, size, size));
        NDArray label = BatchArrays.of(manager, batchLabels, new Shape(n));
        return new Record(new NDList(data), new NDList(label));
    }

    private int read(long index, float[] pixels, int offset) throws IOException {
        if (latencyNanos > 0) {
            LockSupport.parkNanos(latencyNanos);
        }
        int sample = Math.toIntExact(index);
        // Decoded from memory: ImageIO.read(InputStream) would buffer every read in a temporary
        // file, which costs more than the decode itself.
        BufferedImage image =
                ImageIO.read(
                        new MemoryCacheImageInputStream(
                                new ByteArrayInputStream(pngs.get(sample))));
        if (image == null) {
            throw new IOException("sample " + index + " is not a PNG");
        }
        float[] gray = image.getRaster().getSamples(0, 0, size, size, 0, (float[]) null);
        for (int i = 0; i < gray.length; i++) {
            pixels[offset + i] = gray[i] / 255f;
        }
        return sample;
    }

    @Override
    protected long availableSize() {
        return pngs.size();
    }

    @Override
    public void prepare(Progress progress) {}

    /** Builds nothing itself: {@link #generate} does; this only carries DJL's sampling. */
    private static final class Builder extends BaseBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
