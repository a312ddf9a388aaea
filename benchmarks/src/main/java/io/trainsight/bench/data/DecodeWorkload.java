package io.trainsight.bench.data;

import io.trainsight.data.format.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Real decoding work: PNG images held in memory, decoded and resized to 32×32 RGB by the same
 * {@link ImageDecoder} the image-folder reader uses. The images' size is calibrated so that one
 * decode takes about the target time on this machine.
 */
final class DecodeWorkload {

    private static final int IMAGES = 32;

    private final List<byte[]> encoded;
    private final ImageDecoder decoder = new ImageDecoder(32, 32, false);
    private final int side;

    private DecodeWorkload(List<byte[]> encoded, int side) {
        this.encoded = encoded;
        this.side = side;
    }

    /**
     * Finds the image size whose decode takes about the target time.
     *
     * @param targetNanos the time one decode should take
     * @return the workload
     * @throws IOException if an image cannot be encoded or decoded
     */
    static DecodeWorkload calibrate(long targetNanos) throws IOException {
        int side = 200;
        DecodeWorkload workload = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            workload = new DecodeWorkload(encode(side), side);
            double measured = workload.measureNanos();
            side = (int) Math.max(16, Math.round(side * Math.sqrt(targetNanos / measured)));
        }
        return new DecodeWorkload(encode(side), side);
    }

    /** Returns the width and height of the encoded images. */
    int side() {
        return side;
    }

    /** Decodes one image: the work of one sample. */
    float[] sample(long index) throws IOException {
        return decoder.decode(encoded.get((int) (index % encoded.size())));
    }

    /** Returns the median time of one decode on one thread, after a warm-up. */
    double measureNanos() throws IOException {
        for (int i = 0; i < 100; i++) {
            sample(i);
        }
        double[] times = new double[60];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            sample(i);
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    /** A photo-like image: smooth gradients with noise, so PNG compresses it only partly. */
    private static List<byte[]> encode(int side) throws IOException {
        List<byte[]> images = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < IMAGES; n++) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int r = (x * 255 / side + random.nextInt(24)) & 0xFF;
                    int g = (y * 255 / side + random.nextInt(24)) & 0xFF;
                    int b = ((x + y + n * 8) * 127 / side + random.nextInt(24)) & 0xFF;
                    image.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            images.add(out.toByteArray());
        }
        return images;
    }
}
