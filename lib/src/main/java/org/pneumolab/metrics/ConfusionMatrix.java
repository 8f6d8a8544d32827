package org.pneumolab.metrics;

/**
 * Counts of a binary classifier at one threshold. A case is predicted positive when its score is
 * at least the threshold ({@code score >= threshold}), the convention of sklearn's curves.
 * Rates whose denominator is zero are NaN (sklearn returns 0 with a warning; NaN cannot be
 * mistaken for a real value).
 */
public record ConfusionMatrix(double threshold, int tp, int fp, int tn, int fn) {

    public static ConfusionMatrix at(double[] scores, int[] labels, double threshold) {
        Labels.check(scores, labels);
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (labels[i] == 1) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(threshold, tp, fp, tn, fn);
    }

    public int n() {
        return tp + fp + tn + fn;
    }

    public int positives() {
        return tp + fn;
    }

    public int negatives() {
        return tn + fp;
    }

    public double accuracy() {
        return ratio(tp + tn, n());
    }

    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** Sensitivity, true positive rate. */
    public double recall() {
        return ratio(tp, tp + fn);
    }

    /** True negative rate. */
    public double specificity() {
        return ratio(tn, tn + fp);
    }

    public double f1() {
        return ratio(2.0 * tp, 2.0 * tp + fp + fn);
    }

    static double ratio(double num, double den) {
        return den == 0 ? Double.NaN : num / den;
    }
}
