package org.pneumolab.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * A single-channel image with float pixels on the 0..255 scale, row-major. Chest X-rays are
 * grey; colour files (some Kermany JPEGs have 3 channels) are reduced to luminance on the way in,
 * and the 3 channels pretrained backbones expect are made by replicating this one at the end.
 */
public final class GrayImage {
    private final int width;
    private final int height;
    private final float[] pixels;

    public GrayImage(int width, int height, float[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + " x " + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public static GrayImage blank(int width, int height) {
        return new GrayImage(width, height, new float[width * height]);
    }

    /**
     * Luminance of any {@link BufferedImage}: grey rasters are copied as they are, colour ones
     * are weighted 0.299 R + 0.587 G + 0.114 B (ITU-R 601, as PIL's "L" mode), so our pixels
     * match what a Python pipeline would see.
     */
    public static GrayImage from(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] px = new float[w * h];
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            Raster r = img.getRaster();
            if (r.getDataBuffer() instanceof DataBufferByte db && r.getParent() == null
                    && db.getData().length == w * h) {
                byte[] b = db.getData();
                for (int i = 0; i < px.length; i++) {
                    px[i] = b[i] & 0xFF;
                }
            } else {
                int[] row = new int[w];
                for (int y = 0; y < h; y++) {
                    r.getSamples(0, y, w, 1, 0, row);
                    for (int x = 0; x < w; x++) {
                        px[y * w + x] = row[x];
                    }
                }
            }
            return new GrayImage(w, h, px);
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int c = argb[x];
                px[y * w + x] = (float) (0.299 * ((c >> 16) & 0xFF) + 0.587 * ((c >> 8) & 0xFF) + 0.114 * (c & 0xFF));
            }
        }
        return new GrayImage(w, h, px);
    }

    /** A TYPE_BYTE_GRAY copy (values rounded and clamped to 0..255) for display and writing files. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] b = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            b[i] = (byte) toByte(pixels[i]);
        }
        return out;
    }

    /** Rounds every pixel to an integer in 0..255, as stored in caches and 8-bit files. */
    public GrayImage quantized() {
        float[] q = new float[pixels.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = toByte(pixels[i]);
        }
        return new GrayImage(width, height, q);
    }

    static int toByte(float v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public float get(int x, int y) {
        return pixels[y * width + x];
    }

    public void set(int x, int y, float v) {
        pixels[y * width + x] = v;
    }

    /** The backing array (row-major), not a copy: pipelines read it without allocating. */
    public float[] pixels() {
        return pixels;
    }

    public GrayImage copy() {
        return new GrayImage(width, height, pixels.clone());
    }

    public double mean() {
        double s = 0;
        for (float p : pixels) {
            s += p;
        }
        return s / pixels.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height && Arrays.equals(g.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + " x " + height + "]";
    }
}
