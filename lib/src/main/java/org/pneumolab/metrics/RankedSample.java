package org.pneumolab.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Cases sorted once by score, highest first, with their groups of tied scores. A bootstrap
 * replicate is then just a multiplicity per case (how often it was drawn), and every metric,
 * AUCs included, is one linear pass over the sorted cases: no re-sorting per replicate.
 */
final class RankedSample {
    final double[] scores;
    final boolean[] positive;
    /** Exclusive end of each group of equal scores, in sorted order. */
    final int[] groupEnd;
    /** Sorted positions of the positive and of the negative cases (for stratified draws). */
    final int[] positiveAt;
    final int[] negativeAt;
    /** The case's index in the caller's arrays at each sorted position (for paired draws over two samples). */
    final int[] original;

    private RankedSample(double[] scores, boolean[] positive, int[] groupEnd, int[] positiveAt, int[] negativeAt,
            int[] original) {
        this.scores = scores;
        this.original = original;
        this.positive = positive;
        this.groupEnd = groupEnd;
        this.positiveAt = positiveAt;
        this.negativeAt = negativeAt;
    }

    static RankedSample of(double[] scores, int[] labels) {
        Labels.check(scores, labels);
        int n = scores.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] s = new double[n];
        boolean[] p = new boolean[n];
        for (int k = 0; k < n; k++) {
            s[k] = scores[order[k]];
            p[k] = labels[order[k]] == 1;
        }
        int[] ends = IntStream.rangeClosed(1, n).filter(k -> k == n || s[k] != s[k - 1]).toArray();
        int[] pos = IntStream.range(0, n).filter(k -> p[k]).toArray();
        int[] neg = IntStream.range(0, n).filter(k -> !p[k]).toArray();
        int[] original = new int[n];
        for (int k = 0; k < n; k++) {
            original[k] = order[k];
        }
        return new RankedSample(s, p, ends, pos, neg, original);
    }

    int size() {
        return scores.length;
    }

    /**
     * All of {@link BinaryMetrics#NAMES}, in that order, into {@code out}, for cases weighted by
     * {@code weights} (how often each sorted case is in the sample).
     *
     * <p>ROC AUC is the Mann-Whitney statistic: the chance that a random positive outscores a
     * random negative, ties counting one half. PR AUC is average precision as sklearn computes it:
     * the sum over distinct thresholds of (recall gained) x (precision there), no interpolation.
     */
    void metrics(int[] weights, double threshold, double[] out) {
        double pTotal = 0;
        double nTotal = 0;
        for (int k = 0; k < weights.length; k++) {
            if (positive[k]) {
                pTotal += weights[k];
            } else {
                nTotal += weights[k];
            }
        }
        double tpCum = 0;
        double fpCum = 0;
        double tpAt = 0;
        double fpAt = 0;
        double aucSum = 0;
        double apSum = 0;
        int start = 0;
        for (int end : groupEnd) {
            double pg = 0;
            double ng = 0;
            for (int k = start; k < end; k++) {
                if (positive[k]) {
                    pg += weights[k];
                } else {
                    ng += weights[k];
                }
            }
            // negatives strictly below this group, plus half of the tied ones
            aucSum += pg * ((nTotal - fpCum - ng) + 0.5 * ng);
            tpCum += pg;
            fpCum += ng;
            if (pg > 0) {
                apSum += pg * (tpCum / (tpCum + fpCum));
            }
            if (scores[start] >= threshold) {
                tpAt = tpCum;
                fpAt = fpCum;
            }
            start = end;
        }
        double fnAt = pTotal - tpAt;
        double tnAt = nTotal - fpAt;
        out[0] = ConfusionMatrix.ratio(tpAt + tnAt, pTotal + nTotal);
        out[1] = ConfusionMatrix.ratio(tpAt, tpAt + fpAt);
        out[2] = ConfusionMatrix.ratio(tpAt, pTotal);
        out[3] = ConfusionMatrix.ratio(tnAt, nTotal);
        out[4] = ConfusionMatrix.ratio(2 * tpAt, 2 * tpAt + fpAt + fnAt);
        out[5] = pTotal == 0 || nTotal == 0 ? Double.NaN : aucSum / (pTotal * nTotal);
        out[6] = pTotal == 0 ? Double.NaN : apSum / pTotal;
    }
}
