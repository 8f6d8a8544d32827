package org.pneumolab.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary classification metrics with bootstrap confidence intervals. Labels are 0/1 (1 is the
 * positive class, e.g. PNEUMONIA); scores are any number where higher means "more positive".
 */
public final class BinaryMetrics {
    /** Metric names, in the order reports and tables list them. */
    public static final List<String> NAMES =
            List.of("accuracy", "precision", "recall", "specificity", "f1", "roc_auc", "pr_auc");

    private BinaryMetrics() {
    }

    /**
     * Every metric of {@link #NAMES} on one data split, at {@code threshold} for the
     * threshold-dependent ones, each with a bootstrap interval.
     */
    public static BinaryReport evaluate(String split, double[] scores, int[] labels, double threshold,
            Bootstrap bootstrap) {
        if (split == null || split.isBlank()) {
            throw new IllegalArgumentException("name the data split the metrics are computed on");
        }
        RankedSample sample = RankedSample.of(scores, labels);
        double[] point = pointEstimates(sample, threshold);
        double[][] reps = bootstrap.replicates(sample, threshold);
        Map<String, Estimate> metrics = new LinkedHashMap<>();
        for (int m = 0; m < NAMES.size(); m++) {
            double[] ci = bootstrap.interval(reps[m]);
            metrics.put(NAMES.get(m), new Estimate(point[m], ci[0], ci[1]));
        }
        return new BinaryReport(split, scores.length, ConfusionMatrix.at(scores, labels, threshold), metrics,
                bootstrap);
    }

    /** A named experiment: its report and its ROC and PR curves. */
    public static Experiment experiment(String name, String split, double[] scores, int[] labels,
            double threshold, Bootstrap bootstrap) {
        return new Experiment(name, evaluate(split, scores, labels, threshold, bootstrap),
                Curves.of(scores, labels));
    }

    /** Area under the ROC curve by Mann-Whitney (ties count one half); NaN with one class only. */
    public static double rocAuc(double[] scores, int[] labels) {
        return pointEstimates(RankedSample.of(scores, labels), Double.POSITIVE_INFINITY)[5];
    }

    /** Average precision, step-wise as sklearn's {@code average_precision_score}; NaN without positives. */
    public static double averagePrecision(double[] scores, int[] labels) {
        return pointEstimates(RankedSample.of(scores, labels), Double.POSITIVE_INFINITY)[6];
    }

    private static double[] pointEstimates(RankedSample sample, double threshold) {
        int[] ones = new int[sample.size()];
        Arrays.fill(ones, 1);
        double[] out = new double[NAMES.size()];
        sample.metrics(ones, threshold, out);
        return out;
    }
}
