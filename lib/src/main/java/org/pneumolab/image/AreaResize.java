package org.pneumolab.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Area-average (box) resize of 8-bit gray images, the Java twin of OpenCV's INTER_AREA when
 * shrinking: each output pixel is the mean of the source area it covers, weighted by overlap.
 * Separable, so cost is O(width x height) per pass whatever the factor.
 */
public final class AreaResize {
    private AreaResize() {
    }

    /** Resizes {@code src} (any type; converted to gray first) to {@code width x height}. */
    public static BufferedImage gray(BufferedImage src, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        byte[] in = GrayPixels.of(src);
        int sw = src.getWidth();
        int sh = src.getHeight();
        Weights wx = Weights.of(sw, width);
        Weights wy = Weights.of(sh, height);
        // Horizontal pass: sh rows of `width` floats.
        float[] rows = new float[sh * width];
        for (int y = 0; y < sh; y++) {
            int rowIn = y * sw;
            int rowOut = y * width;
            for (int x = 0; x < width; x++) {
                float acc = 0;
                for (int k = wx.start[x], j = 0; j < wx.count[x]; j++, k++) {
                    acc += wx.weight[x][j] * (in[rowIn + k] & 0xFF);
                }
                rows[rowOut + x] = acc;
            }
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        float[] acc = new float[width];
        for (int y = 0; y < height; y++) {
            java.util.Arrays.fill(acc, 0f);
            for (int k = wy.start[y], j = 0; j < wy.count[y]; j++, k++) {
                float w = wy.weight[y][j];
                int row = k * width;
                for (int x = 0; x < width; x++) {
                    acc[x] += w * rows[row + x];
                }
            }
            for (int x = 0; x < width; x++) {
                px[y * width + x] = (byte) Math.min(255, Math.max(0, Math.round(acc[x])));
            }
        }
        return out;
    }

    /** For each output index: the first source index, how many, and their normalised weights. */
    private record Weights(int[] start, int[] count, float[][] weight) {
        static Weights of(int srcLen, int dstLen) {
            double scale = (double) srcLen / dstLen;
            int[] start = new int[dstLen];
            int[] count = new int[dstLen];
            float[][] weight = new float[dstLen][];
            for (int o = 0; o < dstLen; o++) {
                double lo = o * scale;
                double hi = Math.min(srcLen, (o + 1) * scale);
                if (scale < 1) { // enlarging: the nearest source pixel (box of width 1)
                    lo = Math.min(srcLen - 1, Math.floor(lo));
                    hi = lo + 1;
                }
                int first = (int) Math.floor(lo);
                int last = Math.min(srcLen - 1, (int) Math.ceil(hi) - 1);
                start[o] = first;
                count[o] = last - first + 1;
                weight[o] = new float[count[o]];
                double total = hi - lo;
                for (int k = first; k <= last; k++) {
                    double overlap = Math.min(hi, k + 1) - Math.max(lo, k);
                    weight[o][k - first] = (float) (Math.max(0, overlap) / total);
                }
            }
            return new Weights(start, count, weight);
        }
    }
}
