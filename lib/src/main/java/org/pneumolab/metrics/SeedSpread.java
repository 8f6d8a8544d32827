package org.pneumolab.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.pneumolab.report.Format;

/**
 * One metric over K training seeds (same data, same split, only the training seed changes): how
 * much of a difference is the luck of initialisation and shuffling, which a bootstrap over test
 * images cannot see. Reported beside the bootstrap interval, never instead of it.
 *
 * @param metric what was measured, with its split
 * @param seeds  the training seeds, in order
 * @param values the metric for each seed
 */
public record SeedSpread(String metric, List<Long> seeds, double[] values) {
    public SeedSpread {
        if (seeds.size() != values.length || values.length == 0) {
            throw new IllegalArgumentException("one value per seed, at least one: " + seeds.size() + " seeds, "
                    + values.length + " values");
        }
        seeds = List.copyOf(seeds);
        values = values.clone();
    }

    public int k() {
        return values.length;
    }

    public double mean() {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n - 1); NaN for a single seed. */
    public double sd() {
        if (values.length < 2) {
            return Double.NaN;
        }
        double m = mean();
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    public double min() {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    public double max() {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** "mean 0.051, sd 0.012, range 0.040-0.064 over K=3 training seeds", or "1 training seed" for K=1. */
    @Override
    public String toString() {
        if (values.length == 1) {
            return Format.rate(values[0]) + " (1 training seed; set K > 1 for the spread)";
        }
        return String.format(Locale.ROOT, "mean %s, sd %s, range %s to %s over K=%d training seeds", Format.rate(mean()),
                Format.rate(sd()), Format.rate(min()), Format.rate(max()), values.length);
    }
}
