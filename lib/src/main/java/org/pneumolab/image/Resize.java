package org.pneumolab.image;

import org.pneumolab.geom.ResizeGeometry;

/** Resizing grey images, optionally into a padded canvas described by a {@link ResizeGeometry}. */
public final class Resize {
    private Resize() {
    }

    /** Resizes to exactly {@code width x height}. */
    public static GrayImage to(GrayImage src, int width, int height, Interpolation how) {
        if (width == src.width() && height == src.height()) {
            return src.copy();
        }
        boolean shrinking = width < src.width() || height < src.height();
        if (how == Interpolation.AREA && shrinking) {
            return area(src, width, height);
        }
        return bilinear(src, width, height);
    }

    /**
     * Places the source into the geometry's canvas: content resized to the geometry's content
     * size at its pad offsets, padding 0 (black, like the film border around a radiograph).
     */
    public static GrayImage into(GrayImage src, ResizeGeometry g, Interpolation how) {
        if (src.width() != g.srcWidth() || src.height() != g.srcHeight()) {
            throw new IllegalArgumentException("geometry is for " + g.srcWidth() + " x " + g.srcHeight()
                    + " but the image is " + src.width() + " x " + src.height());
        }
        int cw = g.contentWidth();
        int ch = g.contentHeight();
        GrayImage content = to(src, cw, ch, how);
        if (cw == g.dstWidth() && ch == g.dstHeight()) {
            return content;
        }
        GrayImage canvas = GrayImage.blank(g.dstWidth(), g.dstHeight());
        for (int y = 0; y < ch; y++) {
            System.arraycopy(content.pixels(), y * cw, canvas.pixels(), (y + g.padTop()) * g.dstWidth() + g.padLeft(), cw);
        }
        return canvas;
    }

    /** Bilinear with half-pixel centres; edge pixels are repeated beyond the border. */
    static GrayImage bilinear(GrayImage src, int width, int height) {
        int sw = src.width();
        int sh = src.height();
        float[] s = src.pixels();
        float[] out = new float[width * height];
        double fx = (double) sw / width;
        double fy = (double) sh / height;
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] wx = new float[width];
        for (int x = 0; x < width; x++) {
            double sx = Math.max(0, Math.min(sw - 1, (x + 0.5) * fx - 0.5));
            x0[x] = (int) sx;
            x1[x] = Math.min(sw - 1, x0[x] + 1);
            wx[x] = (float) (sx - x0[x]);
        }
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, Math.min(sh - 1, (y + 0.5) * fy - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(sh - 1, y0 + 1);
            float wy = (float) (sy - y0);
            int r0 = y0 * sw;
            int r1 = y1 * sw;
            for (int x = 0; x < width; x++) {
                float top = s[r0 + x0[x]] + (s[r0 + x1[x]] - s[r0 + x0[x]]) * wx[x];
                float bottom = s[r1 + x0[x]] + (s[r1 + x1[x]] - s[r1 + x0[x]]) * wx[x];
                out[y * width + x] = top + (bottom - top) * wy;
            }
        }
        return new GrayImage(width, height, out);
    }

    /**
     * Exact box filter: each target pixel is the coverage-weighted mean of the source pixels
     * under it. Separable (rows, then columns), which is exact for a box filter.
     */
    static GrayImage area(GrayImage src, int width, int height) {
        int sw = src.width();
        int sh = src.height();
        Weights wx = Weights.of(sw, width);
        Weights wy = Weights.of(sh, height);
        float[] s = src.pixels();
        float[] rows = new float[width * sh];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < width; x++) {
                double acc = 0;
                for (int k = wx.start[x]; k < wx.start[x] + wx.weights[x].length; k++) {
                    acc += s[y * sw + k] * wx.weights[x][k - wx.start[x]];
                }
                rows[y * width + x] = (float) acc;
            }
        }
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int k = wy.start[y]; k < wy.start[y] + wy.weights[y].length; k++) {
                double w = wy.weights[y][k - wy.start[y]];
                for (int x = 0; x < width; x++) {
                    out[y * width + x] += (float) (rows[k * width + x] * w);
                }
            }
        }
        return new GrayImage(width, height, out);
    }

    /** For each target index, the first source index it covers and the normalised coverage weights. */
    private record Weights(int[] start, double[][] weights) {
        static Weights of(int srcLen, int dstLen) {
            double scale = (double) srcLen / dstLen;
            int[] start = new int[dstLen];
            double[][] weights = new double[dstLen][];
            for (int i = 0; i < dstLen; i++) {
                double a = i * scale;
                double b = Math.min(srcLen, (i + 1) * scale);
                int first = (int) Math.floor(a);
                int last = Math.min(srcLen - 1, (int) Math.ceil(b) - 1);
                double[] w = new double[last - first + 1];
                for (int k = first; k <= last; k++) {
                    w[k - first] = (Math.min(b, k + 1) - Math.max(a, k)) / (b - a);
                }
                start[i] = first;
                weights[i] = w;
            }
            return new Weights(start, weights);
        }
    }
}
