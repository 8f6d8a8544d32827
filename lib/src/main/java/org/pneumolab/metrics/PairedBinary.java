package org.pneumolab.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Two classifiers scored on the <b>same</b> cases, compared by a paired bootstrap: each replicate
 * draws one resample of the cases and computes both models' metrics on it, so the interval of
 * the difference A minus B carries the correlation between the two (they err on the same hard
 * images), which two separate intervals would ignore. Stratified when the {@link Bootstrap} is
 * (each replicate keeps the class counts, so error <i>counts</i> are comparable between replicates).
 *
 * <p>Also the error counts of one model (false negatives, false positives at a threshold) with
 * their intervals, for the class-weight sweep.
 */
public final class PairedBinary {
    public static final String FALSE_NEGATIVES = "false negatives";
    public static final String FALSE_POSITIVES = "false positives";
    private static final int RECALL = BinaryMetrics.NAMES.indexOf("recall");
    private static final int SPECIFICITY = BinaryMetrics.NAMES.indexOf("specificity");

    private PairedBinary() {
    }

    /** Every metric of {@link BinaryMetrics#NAMES} plus the two error counts, in that order. */
    public static List<String> metrics() {
        List<String> m = new ArrayList<>(BinaryMetrics.NAMES);
        m.add(FALSE_NEGATIVES);
        m.add(FALSE_POSITIVES);
        return m;
    }

    /** Error counts lower is better, everything else higher. */
    public static boolean higherIsBetter(String metric) {
        return !(metric.equals(FALSE_NEGATIVES) || metric.equals(FALSE_POSITIVES));
    }

    /** Display name, e.g. "ROC AUC" for "roc_auc". */
    public static String label(String metric) {
        return switch (metric) {
            case "roc_auc" -> "ROC AUC";
            case "pr_auc" -> "PR AUC (average precision)";
            case "f1" -> "F1";
            default -> metric;
        };
    }

    /**
     * FN and FP counts of one model at {@code threshold}, with percentile intervals.
     */
    public static ErrorCounts errors(String split, double[] scores, int[] labels, double threshold,
            Bootstrap bootstrap) {
        RankedSample s = RankedSample.of(scores, labels);
        int[][] draws = draws(s, bootstrap);
        double[] fn = new double[draws.length];
        double[] fp = new double[draws.length];
        double[] out = new double[BinaryMetrics.NAMES.size() + 2];
        for (int b = 0; b < draws.length; b++) {
            all(s, permute(draws[b], s), threshold, out);
            fn[b] = out[out.length - 2];
            fp[b] = out[out.length - 1];
        }
        all(s, ones(scores.length), threshold, out);
        double[] fnCi = bootstrap.interval(fn);
        double[] fpCi = bootstrap.interval(fp);
        int positives = s.positiveAt.length;
        return new ErrorCounts(split, scores.length, positives, scores.length - positives, threshold,
                new Estimate(out[out.length - 2], fnCi[0], fnCi[1]), new Estimate(out[out.length - 1], fpCi[0], fpCi[1]),
                method(bootstrap, false));
    }

    /**
     * A minus B on every metric of {@link #metrics()}, each threshold metric at that model's own
     * threshold, with its verdict.
     */
    public static Map<String, Verdict> compare(String split, String nameA, double[] scoresA, double thresholdA,
            String nameB, double[] scoresB, double thresholdB, int[] labels, Bootstrap bootstrap) {
        if (scoresA.length != scoresB.length) {
            throw new IllegalArgumentException("a paired comparison needs the same cases: " + scoresA.length
                    + " scores for " + nameA + ", " + scoresB.length + " for " + nameB);
        }
        RankedSample a = RankedSample.of(scoresA, labels);
        RankedSample b = RankedSample.of(scoresB, labels);
        List<String> names = metrics();
        int m = names.size();
        int[][] draws = draws(a, bootstrap); // in the callers' case order, shared by both models
        double[][] diff = new double[m][draws.length];
        double[] oa = new double[m];
        double[] ob = new double[m];
        for (int r = 0; r < draws.length; r++) {
            all(a, permute(draws[r], a), thresholdA, oa);
            all(b, permute(draws[r], b), thresholdB, ob);
            for (int k = 0; k < m; k++) {
                diff[k][r] = oa[k] - ob[k];
            }
        }
        all(a, ones(scoresA.length), thresholdA, oa);
        all(b, ones(scoresB.length), thresholdB, ob);
        Map<String, Verdict> out = new LinkedHashMap<>();
        String method = method(bootstrap, true);
        for (int k = 0; k < m; k++) {
            double[] ci = bootstrap.interval(diff[k]);
            out.put(names.get(k), new Verdict(nameA, nameB, label(names.get(k)), higherIsBetter(names.get(k)),
                    new Estimate(oa[k] - ob[k], ci[0], ci[1]), split, scoresA.length, method));
        }
        return out;
    }

    static String method(Bootstrap b, boolean paired) {
        return String.format(Locale.ROOT, "%.0f%% %s%sbootstrap over images, B=%d, seed %d", b.level() * 100,
                paired ? "paired " : "", b.stratified() ? "class-stratified " : "", b.resamples(), b.seed());
    }

    /** Multiplicity of each case (callers' order) per replicate. */
    private static int[][] draws(RankedSample s, Bootstrap bootstrap) {
        int n = s.size();
        int[] pos = new int[s.positiveAt.length];
        int[] neg = new int[s.negativeAt.length];
        for (int k = 0; k < pos.length; k++) {
            pos[k] = s.original[s.positiveAt[k]];
        }
        for (int k = 0; k < neg.length; k++) {
            neg[k] = s.original[s.negativeAt[k]];
        }
        java.util.Arrays.sort(pos); // draw in the callers' order, so both models of a pair see the same draw
        java.util.Arrays.sort(neg);
        SplittableRandom rng = new SplittableRandom(bootstrap.seed());
        int[][] w = new int[bootstrap.resamples()][n];
        for (int[] row : w) {
            if (bootstrap.stratified()) {
                for (int k = 0; k < pos.length; k++) {
                    row[pos[rng.nextInt(pos.length)]]++;
                }
                for (int k = 0; k < neg.length; k++) {
                    row[neg[rng.nextInt(neg.length)]]++;
                }
            } else {
                for (int k = 0; k < n; k++) {
                    row[rng.nextInt(n)]++;
                }
            }
        }
        return w;
    }

    private static int[] permute(int[] callerOrder, RankedSample s) {
        int[] sorted = new int[callerOrder.length];
        for (int k = 0; k < sorted.length; k++) {
            sorted[k] = callerOrder[s.original[k]];
        }
        return sorted;
    }

    private static int[] ones(int n) {
        int[] w = new int[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }

    /** {@link BinaryMetrics#NAMES} then FN and FP counts, for sorted-order weights. */
    private static void all(RankedSample s, int[] sortedWeights, double threshold, double[] out) {
        s.metrics(sortedWeights, threshold, out);
        double p = 0;
        double n = 0;
        for (int k = 0; k < sortedWeights.length; k++) {
            if (s.positive[k]) {
                p += sortedWeights[k];
            } else {
                n += sortedWeights[k];
            }
        }
        int base = BinaryMetrics.NAMES.size();
        out[base] = p == 0 ? 0 : (1 - out[RECALL]) * p;
        out[base + 1] = n == 0 ? 0 : (1 - out[SPECIFICITY]) * n;
        // exact integers: (1 - tp/p) * p can land a hair off
        out[base] = Math.rint(out[base]);
        out[base + 1] = Math.rint(out[base + 1]);
    }

    /**
     * One model's errors at a threshold, each count with its interval.
     *
     * @param n          cases
     * @param positives  positive cases (the most FN there can be)
     * @param negatives  negative cases (the most FP there can be)
     */
    public record ErrorCounts(String split, int n, int positives, int negatives, double threshold,
                              Estimate falseNegatives, Estimate falsePositives, String method) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s split (n=%d: %d positive, %d negative), threshold %s: FN %s, FP %s (%s)",
                    split, n, positives, negatives, org.pneumolab.report.Format.rate(threshold),
                    org.pneumolab.report.Format.countInterval(falseNegatives.value(), falseNegatives.lo(), falseNegatives.hi()),
                    org.pneumolab.report.Format.countInterval(falsePositives.value(), falsePositives.lo(), falsePositives.hi()),
                    method);
        }
    }
}
