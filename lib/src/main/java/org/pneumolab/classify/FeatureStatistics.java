package org.pneumolab.classify;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-activation mean and standard deviation over a set of examples (the training split's
 * cached features), for {@link FeatureScaling#STANDARDIZE}. Population statistics (divide by N),
 * computed in double so a float sum over thousands of images does not drift.
 *
 * @param mean one value per flattened activation (C*H*W, channel-major like the head's Flatten)
 * @param std  one value per flattened activation, never 0 (a constant activation gets 1)
 */
public record FeatureStatistics(double[] mean, double[] std) {
    public FeatureStatistics {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need the same, non-zero length: " + mean.length + " vs "
                    + std.length);
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite, got " + s);
            }
        }
    }

    /** Statistics of {@code features} [N, ...] over its first axis; needs N >= 1. */
    public static FeatureStatistics of(INDArray features) {
        long n = features.size(0);
        if (n < 1) {
            throw new IllegalArgumentException("no examples to take statistics from");
        }
        INDArray flat = features.reshape(n, -1).castTo(DataType.DOUBLE);
        double[] mean = flat.mean(0).toDoubleVector();
        double[] std = flat.std(false, 0).toDoubleVector();
        for (int i = 0; i < std.length; i++) {
            // Constant over the split (e.g. a ReLU that never fires): centre it and leave the scale.
            if (!(std[i] > 1e-12)) {
                std[i] = 1;
            }
        }
        return new FeatureStatistics(mean, std);
    }

    public int size() {
        return mean.length;
    }

    /** Per-activation scale 1/std: the frozen layer's weights. */
    public double[] scale() {
        double[] s = new double[std.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1 / std[i];
        }
        return s;
    }

    /** Per-activation shift -mean/std: the frozen layer's bias. */
    public double[] shift() {
        double[] s = new double[mean.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = -mean[i] / std[i];
        }
        return s;
    }
}
