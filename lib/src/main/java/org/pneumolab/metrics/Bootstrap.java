package org.pneumolab.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap: cases are resampled with replacement {@code resamples} times (optionally
 * within each class, so every replicate keeps the class counts), the metric is recomputed on
 * each replicate, and the interval is the {@code (1-level)/2} and {@code (1+level)/2} percentiles
 * of the replicates (linear interpolation, numpy's default). Replicates where a metric is
 * undefined (e.g. no positive drawn) are left out of that metric's interval.
 *
 * @param resamples number of bootstrap replicates B (0 gives intervals of NaN)
 * @param seed      the draws are a function of this seed alone
 * @param stratified resample positives and negatives separately
 * @param level     coverage, e.g. 0.95
 */
public record Bootstrap(int resamples, long seed, boolean stratified, double level) {
    public static final int DEFAULT_RESAMPLES = 1000;

    public Bootstrap {
        if (resamples < 0) {
            throw new IllegalArgumentException("bootstrap resamples must be >= 0, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("bootstrap level must be in (0, 1), got " + level);
        }
    }

    /** 1000 resamples of all cases, 95% intervals. */
    public static Bootstrap seeded(long seed) {
        return new Bootstrap(DEFAULT_RESAMPLES, seed, false, 0.95);
    }

    public Bootstrap withResamples(int b) {
        return new Bootstrap(b, seed, stratified, level);
    }

    public Bootstrap withStratified(boolean s) {
        return new Bootstrap(resamples, seed, s, level);
    }

    public Bootstrap withLevel(double l) {
        return new Bootstrap(resamples, seed, stratified, l);
    }

    /**
     * Replicates of every metric: {@code result[m][b]} is metric m on replicate b.
     */
    double[][] replicates(RankedSample sample, double threshold) {
        int n = sample.size();
        int metrics = BinaryMetrics.NAMES.size();
        double[][] reps = new double[metrics][resamples];
        if (n == 0) {
            for (double[] r : reps) {
                Arrays.fill(r, Double.NaN);
            }
            return reps;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] weights = new int[n];
        double[] out = new double[metrics];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(weights, 0);
            if (stratified) {
                draw(rng, sample.positiveAt, weights);
                draw(rng, sample.negativeAt, weights);
            } else {
                for (int i = 0; i < n; i++) {
                    weights[rng.nextInt(n)]++;
                }
            }
            sample.metrics(weights, threshold, out);
            for (int m = 0; m < metrics; m++) {
                reps[m][b] = out[m];
            }
        }
        return reps;
    }

    private static void draw(SplittableRandom rng, int[] from, int[] weights) {
        for (int i = 0; i < from.length; i++) {
            weights[from[rng.nextInt(from.length)]]++;
        }
    }

    /** The percentile interval of some replicates, NaNs left out; {NaN, NaN} when none is left. */
    public double[] interval(double[] replicates) {
        double[] v = Arrays.stream(replicates).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double alpha = 1 - level;
        return new double[] {quantile(v, alpha / 2), quantile(v, 1 - alpha / 2)};
    }

    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
