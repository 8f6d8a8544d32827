package org.pneumolab.metrics;

import java.util.Locale;

/**
 * A threshold chosen for a target recall (screening: "miss at most 3% of pneumonias") and what
 * it costs in specificity.
 *
 * @param split        the data split the threshold was chosen on
 * @param targetRecall the recall asked for
 * @param cm           counts at the chosen threshold ({@code cm.threshold()})
 */
public record OperatingPoint(String split, double targetRecall, ConfusionMatrix cm) {

    /**
     * The highest threshold whose recall ({@code score >= threshold} predicted positive) is at
     * least {@code targetRecall}: the most specific way to reach it. Candidates are the distinct
     * scores.
     */
    public static OperatingPoint forRecall(String split, double[] scores, int[] labels, double targetRecall) {
        if (!(targetRecall >= 0 && targetRecall <= 1)) {
            throw new IllegalArgumentException("target recall must be in [0, 1], got " + targetRecall);
        }
        RankedSample s = RankedSample.of(scores, labels);
        int pTotal = s.positiveAt.length;
        if (pTotal == 0) {
            throw new IllegalArgumentException("no positive cases on the " + split + " split: recall is undefined");
        }
        int tp = 0;
        int start = 0;
        for (int end : s.groupEnd) {
            for (int k = start; k < end; k++) {
                if (s.positive[k]) {
                    tp++;
                }
            }
            if ((double) tp / pTotal >= targetRecall) {
                return new OperatingPoint(split, targetRecall, ConfusionMatrix.at(scores, labels, s.scores[start]));
            }
            start = end;
        }
        throw new IllegalStateException("unreachable: the lowest score gives recall 1");
    }

    public double threshold() {
        return cm.threshold();
    }

    public double recall() {
        return cm.recall();
    }

    public double specificity() {
        return cm.specificity();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%s split: recall >= %.3f at threshold %.4f gives recall %.3f, specificity %.3f, precision %.3f",
                split, targetRecall, threshold(), recall(), specificity(), cm.precision());
    }
}
