package org.pneumolab.classify;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || Double.isInfinite(std[i]) || !Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("activation " + i + ": need a finite mean and a positive, finite std,"
                        + " got mean " + mean[i] + ", std " + std[i]);
            }
        }
    }

    /** Rows summed at a time: bounds the double copy to ROWS x activations, not the whole split. */
    private static final int ROWS = 128;

    /**
     * Statistics of {@code features} [N, ...] over its first axis; needs N >= 1. Sums run in
     * double over blocks of rows, shifted by the first example so that a large mean does not
     * swamp a small spread.
     *
     * @throws IllegalArgumentException if an activation is NaN or infinite (naming its index)
     */
    public static FeatureStatistics of(INDArray features) {
        long n = features.size(0);
        if (n < 1) {
            throw new IllegalArgumentException("no examples to take statistics from");
        }
        INDArray flat = features.reshape(n, -1);
        double[] shift = flat.getRow(0).castTo(DataType.DOUBLE).toDoubleVector();
        INDArray shiftRow = Nd4j.createFromArray(shift).reshape(1, shift.length);
        INDArray s1 = Nd4j.zeros(DataType.DOUBLE, shift.length);
        INDArray s2 = Nd4j.zeros(DataType.DOUBLE, shift.length);
        for (long r = 0; r < n; r += ROWS) {
            INDArray d = flat.get(NDArrayIndex.interval(r, Math.min(n, r + ROWS)), NDArrayIndex.all())
                    .castTo(DataType.DOUBLE).subRowVector(shiftRow); // not in place: castTo may return the caller's array
            s1.addi(d.sum(0));
            s2.addi(d.mul(d).sum(0));
        }
        double[] sum = s1.toDoubleVector();
        double[] sumSq = s2.toDoubleVector();
        double[] mean = new double[shift.length];
        double[] std = new double[shift.length];
        for (int i = 0; i < mean.length; i++) {
            double m = sum[i] / n;
            mean[i] = shift[i] + m;
            std[i] = Math.sqrt(Math.max(0, sumSq[i] / n - m * m));
            if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i])) {
                throw new IllegalArgumentException("activation " + i + " is not finite over the split (mean "
                        + mean[i] + ", std " + std[i] + "): the features hold NaN or infinity");
            }
            // Constant over the split up to float rounding (e.g. a ReLU that never fires): centre it
            // and keep the scale, rather than multiply rounding noise by 1e8.
            if (std[i] <= 1e-6 * Math.max(Math.abs(mean[i]), 1e-6)) {
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
