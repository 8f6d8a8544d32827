package org.pneumolab.detect;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.geom.Box;

/**
 * Differentiable RoIAlign for SameDiff: the bilinear sampling of every RoI bin is written as a
 * sparse-in-spirit matrix {@code M [R*S*S, B*H*W]} built on the host, and pooling becomes
 * {@code M x features} with features flattened NHWC to {@code [B*H*W, C]}. Gradients then flow
 * through a plain matmul (sd.image().cropAndResize passes none to the feature map in M2.1). One
 * sample per bin at the bin centre (RoIAlign with aligned=True, sampling_ratio=1); points more
 * than one pixel outside the map contribute nothing, as in RoIAlign.
 */
public final class RoiAlignMatrix {
    private RoiAlignMatrix() {
    }

    /**
     * @param rois boxes in input-image pixels
     * @param imageIndex which batch image each RoI belongs to
     */
    public static INDArray build(List<Box> rois, int[] imageIndex, int batch, int mapH, int mapW, int stride,
                                 int pooled, DataType dtype) {
        int r = rois.size();
        int cols = batch * mapH * mapW;
        double[] m = new double[r * pooled * pooled * cols];
        for (int k = 0; k < r; k++) {
            Box b = rois.get(k);
            double fx1 = b.x1() / stride - 0.5, fy1 = b.y1() / stride - 0.5;
            double bw = b.width() / stride / pooled, bh = b.height() / stride / pooled;
            int base = imageIndex[k] * mapH * mapW;
            for (int i = 0; i < pooled; i++) {
                for (int j = 0; j < pooled; j++) {
                    long row = ((long) k * pooled * pooled + (long) i * pooled + j) * cols;
                    addBilinear(m, row, base, mapH, mapW, fy1 + (i + 0.5) * bh, fx1 + (j + 0.5) * bw);
                }
            }
        }
        return Nd4j.create(m, new long[] {(long) r * pooled * pooled, cols}, DataType.DOUBLE).castTo(dtype);
    }

    private static void addBilinear(double[] m, long row, int base, int h, int w, double y, double x) {
        if (y < -1 || y > h || x < -1 || x > w) {
            return;
        }
        y = Math.max(0, Math.min(h - 1, y));
        x = Math.max(0, Math.min(w - 1, x));
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        int y1 = Math.min(h - 1, y0 + 1), x1 = Math.min(w - 1, x0 + 1);
        double ly = y - y0, lx = x - x0;
        m[(int) (row + base + y0 * w + x0)] += (1 - ly) * (1 - lx);
        m[(int) (row + base + y0 * w + x1)] += (1 - ly) * lx;
        m[(int) (row + base + y1 * w + x0)] += ly * (1 - lx);
        m[(int) (row + base + y1 * w + x1)] += ly * lx;
    }
}
