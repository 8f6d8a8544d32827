package org.pneumolab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BootstrapTest {

    /** 300 cases, scores loosely separated by label. */
    static double[] scores(int n, long seed, int[] labels) {
        Random r = new Random(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextDouble() < 0.4 ? 1 : 0;
            s[i] = Math.round((r.nextGaussian() + 1.2 * labels[i]) * 20) / 20.0; // rounded: many ties
        }
        return s;
    }

    @Test
    void sameSeedSameIntervalsOtherSeedOther() {
        int[] y = new int[300];
        double[] s = scores(300, 7, y);
        BinaryReport a = BinaryMetrics.evaluate("test", s, y, 0.5, Bootstrap.seeded(42).withResamples(300));
        BinaryReport b = BinaryMetrics.evaluate("test", s, y, 0.5, Bootstrap.seeded(42).withResamples(300));
        BinaryReport c = BinaryMetrics.evaluate("test", s, y, 0.5, Bootstrap.seeded(43).withResamples(300));
        assertEquals(a.metrics(), b.metrics());
        assertNotEquals(a.metric("roc_auc").lo(), c.metric("roc_auc").lo());
        for (String m : BinaryMetrics.NAMES) {
            Estimate e = a.metric(m);
            assertTrue(e.lo() < e.hi(), m + " " + e);
            assertTrue(e.contains(e.value()), m + " interval should contain its estimate: " + e);
            assertEquals(a.metric(m).value(), c.metric(m).value()); // point estimates don't depend on the seed
        }
    }

    @Test
    void weightedPassEqualsRecomputingOnTheExpandedSample() {
        // A bootstrap replicate is a multiplicity per case; the one-pass metrics must equal the
        // metrics recomputed naively (O(n^2) pair count for AUC, explicit AP sum) on the cases
        // written out as often as they were drawn.
        int[] y = new int[60];
        double[] s = scores(60, 3, y);
        RankedSample sample = RankedSample.of(s, y);
        Random r = new Random(5);
        for (int rep = 0; rep < 20; rep++) {
            int[] w = new int[60];
            for (int i = 0; i < 60; i++) {
                w[r.nextInt(60)]++;
            }
            double[] fast = new double[7];
            sample.metrics(w, 0.5, fast);
            int m = Arrays.stream(w).sum();
            double[] es = new double[m];
            int[] ey = new int[m];
            int k = 0;
            for (int i = 0; i < 60; i++) {
                for (int c = 0; c < w[i]; c++) {
                    es[k] = sample.scores[i];
                    ey[k++] = sample.positive[i] ? 1 : 0;
                }
            }
            ConfusionMatrix cm = ConfusionMatrix.at(es, ey, 0.5);
            assertEquals(cm.accuracy(), fast[0], 1e-12);
            assertEquals(cm.precision(), fast[1], 1e-12);
            assertEquals(cm.recall(), fast[2], 1e-12);
            assertEquals(cm.specificity(), fast[3], 1e-12);
            assertEquals(cm.f1(), fast[4], 1e-12);
            assertEquals(naiveAuc(es, ey), fast[5], 1e-12);
            assertEquals(naiveAp(es, ey), fast[6], 1e-12);
        }
    }

    static double naiveAuc(double[] s, int[] y) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    sum += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        return sum / pairs;
    }

    /** AP = sum over distinct thresholds t (descending) of (R(t) - R(previous t)) * P(t). */
    static double naiveAp(double[] s, int[] y) {
        double[] thresholds = Arrays.stream(s).distinct().boxed().sorted((a, b) -> Double.compare(b, a))
                .mapToDouble(Double::doubleValue).toArray();
        double ap = 0;
        double prevRecall = 0;
        for (double t : thresholds) {
            ConfusionMatrix cm = ConfusionMatrix.at(s, y, t);
            ap += (cm.recall() - prevRecall) * cm.precision();
            prevRecall = cm.recall();
        }
        return ap;
    }

    @Test
    void stratifiedKeepsClassCounts() {
        // 1 positive among 20: a plain resample often draws no positive (recall undefined),
        // a stratified one always draws it exactly once.
        double[] s = new double[20];
        int[] y = new int[20];
        for (int i = 0; i < 20; i++) {
            s[i] = i / 20.0;
        }
        y[19] = 1;
        RankedSample sample = RankedSample.of(s, y);
        double[][] plain = Bootstrap.seeded(9).withResamples(200).replicates(sample, 0.5);
        double[][] strat = Bootstrap.seeded(9).withResamples(200).withStratified(true).replicates(sample, 0.5);
        assertTrue(Arrays.stream(plain[2]).anyMatch(Double::isNaN));
        assertTrue(Arrays.stream(strat[2]).allMatch(v -> v == 1.0));
        assertFalse(Arrays.stream(strat[5]).anyMatch(Double::isNaN));
    }

    @Test
    void percentileIsLinearlyInterpolated() {
        // numpy.percentile([1..5], 2.5) = 1 + 0.025*4 = 1.1 ; 97.5 -> 1 + 0.975*4 = 4.9
        double[] ci = Bootstrap.seeded(0).interval(new double[] {5, 3, Double.NaN, 1, 4, 2});
        assertArrayEquals(new double[] {1.1, 4.9}, ci, 1e-12);
    }
}
