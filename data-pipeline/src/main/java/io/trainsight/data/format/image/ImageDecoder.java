package io.trainsight.data.format.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG images with the JDK's {@code javax.imageio}, resizes them (bilinear) and
 * lays their pixels out as float32 {@code (channels, height, width)} in [0, 1]: red, green, blue,
 * or one gray channel. Safe to use from many threads at once.
 */
public final class ImageDecoder {

    static {
        // Decoding from memory must not spill to temporary files.
        ImageIO.setUseCache(false);
    }

    private final int height;
    private final int width;
    private final boolean grayscale;

    /**
     * Creates a decoder.
     *
     * @param height the height of every decoded image
     * @param width the width of every decoded image
     * @param grayscale one gray channel instead of three colour ones
     */
    public ImageDecoder(int height, int width, boolean grayscale) {
        this.height = height;
        this.width = width;
        this.grayscale = grayscale;
    }

    /** Returns the number of channels of a decoded image. */
    public int channels() {
        return grayscale ? 1 : 3;
    }

    /**
     * Decodes an encoded image held in memory.
     *
     * @param encoded the PNG or JPEG bytes
     * @return the pixels, {@code (channels, height, width)}
     * @throws IOException if the bytes are not an image the JDK can decode
     */
    public float[] decode(byte[] encoded) throws IOException {
        return decode(new ByteArrayInputStream(encoded));
    }

    /**
     * Decodes an encoded image from a stream.
     *
     * @param encoded the PNG or JPEG stream, read to its end but not closed
     * @return the pixels, {@code (channels, height, width)}
     * @throws IOException if the stream is not an image the JDK can decode
     */
    public float[] decode(InputStream encoded) throws IOException {
        ImageInputStream in = new MemoryCacheImageInputStream(encoded);
        BufferedImage image = ImageIO.read(in); // closes the stream once a decoder took it
        if (image == null) {
            in.close();
            throw new IOException("no PNG or JPEG decoder recognises the data");
        }
        return pixels(resize(image));
    }

    private BufferedImage resize(BufferedImage image) {
        int type = grayscale ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        BufferedImage resized = new BufferedImage(width, height, type);
        Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return resized;
    }

    private float[] pixels(BufferedImage image) {
        int plane = height * width;
        float[] out = new float[channels() * plane];
        if (grayscale) {
            byte[] gray = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < plane; i++) {
                out[i] = (gray[i] & 0xFF) / 255f;
            }
            return out;
        }
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[i] = ((p >> 16) & 0xFF) / 255f;
            out[plane + i] = ((p >> 8) & 0xFF) / 255f;
            out[2 * plane + i] = (p & 0xFF) / 255f;
        }
        return out;
    }
}
