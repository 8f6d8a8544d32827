package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Anchor boxes for a pyramid of feature maps. Level {@code l} has stride {@code strides[l]} and
 * base size {@code sizes[l]}; every location gets {@code scales x aspectRatios} anchors centred on
 * the cell centre {@code ((x + 0.5) * stride, (y + 0.5) * stride)}. Aspect ratio is height/width.
 * Order of the flat output (the same order the heads' outputs are flattened in): level, then row
 * y, then column x, then scale-major anchor shape.
 */
public record AnchorGenerator(int[] strides, double[] sizes, double[] aspectRatios, double[] scales) {
    public AnchorGenerator {
        if (strides.length == 0 || strides.length != sizes.length) {
            throw new IllegalArgumentException("need one size per stride: " + strides.length + " vs " + sizes.length);
        }
        if (aspectRatios.length == 0 || scales.length == 0) {
            throw new IllegalArgumentException("need at least one aspect ratio and one scale");
        }
        strides = strides.clone();
        sizes = sizes.clone();
        aspectRatios = aspectRatios.clone();
        scales = scales.clone();
    }

    /** RetinaNet's anchors on P3..P7: size 4 x stride, scales 2^{0,1/3,2/3}, ratios 1:2, 1:1, 2:1. */
    public static AnchorGenerator retinaNet(double sizeMultiplier) {
        return retinaNet(sizeMultiplier, 5);
    }

    /** RetinaNet's anchors on the first {@code levels} of P3..P7 (3 = P3..P5, for small inputs). */
    public static AnchorGenerator retinaNet(double sizeMultiplier, int levels) {
        if (levels < 3 || levels > 5) {
            throw new IllegalArgumentException("RetinaNet uses 3..5 pyramid levels (P3..P5 to P3..P7), got " + levels);
        }
        int[] strides = java.util.Arrays.copyOf(new int[] {8, 16, 32, 64, 128}, levels);
        double[] sizes = new double[levels];
        for (int i = 0; i < levels; i++) {
            sizes[i] = 4 * strides[i] * sizeMultiplier;
        }
        return new AnchorGenerator(strides, sizes, new double[] {0.5, 1.0, 2.0},
                new double[] {1.0, Math.pow(2, 1.0 / 3), Math.pow(2, 2.0 / 3)});
    }

    public int anchorsPerLocation() {
        return aspectRatios.length * scales.length;
    }

    public int levels() {
        return strides.length;
    }

    /** Feature-map side at level {@code l} for a square input: stride-2 SAME convolutions round up. */
    public int mapSize(int imageSize, int level) {
        return (int) Math.ceil((double) imageSize / strides[level]);
    }

    public int count(int imageSize) {
        int n = 0;
        for (int l = 0; l < strides.length; l++) {
            int s = mapSize(imageSize, l);
            n += s * s * anchorsPerLocation();
        }
        return n;
    }

    /** Anchor widths and heights of one location at level {@code l}, in output order. */
    public List<double[]> shapes(int level) {
        List<double[]> out = new ArrayList<>();
        for (double scale : scales) {
            for (double ratio : aspectRatios) {
                double size = sizes[level] * scale;
                out.add(new double[] {size / Math.sqrt(ratio), size * Math.sqrt(ratio)});
            }
        }
        return out;
    }

    /** All anchors as flat corners {@code [x1,y1,x2,y2, ...]} for a square input image. */
    public double[] anchors(int imageSize) {
        double[] out = new double[4 * count(imageSize)];
        int k = 0;
        for (int l = 0; l < strides.length; l++) {
            int side = mapSize(imageSize, l);
            List<double[]> shapes = shapes(l);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double cx = (x + 0.5) * strides[l];
                    double cy = (y + 0.5) * strides[l];
                    for (double[] wh : shapes) {
                        out[k++] = cx - wh[0] / 2;
                        out[k++] = cy - wh[1] / 2;
                        out[k++] = cx + wh[0] / 2;
                        out[k++] = cy + wh[1] / 2;
                    }
                }
            }
        }
        return out;
    }
}
