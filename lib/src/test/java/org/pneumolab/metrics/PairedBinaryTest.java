package org.pneumolab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PairedBinaryTest {

    /** Scores of a model whose separation of the classes is {@code shift} standard deviations; shared noise per case. */
    static double[] model(int[] labels, double shift, double ownNoise, long seed, double[] shared) {
        Random r = new Random(seed);
        double[] s = new double[labels.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1 / (1 + Math.exp(-(shared[i] + ownNoise * r.nextGaussian() + shift * (labels[i] - 0.5))));
        }
        return s;
    }

    @Test
    void pointDifferencesAreTheTwoModelsOwnMetrics() {
        Random r = new Random(1);
        int n = 200;
        int[] y = new int[n];
        double[] shared = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.6 ? 1 : 0;
            shared[i] = r.nextGaussian();
        }
        double[] a = model(y, 2.5, 0.5, 2, shared);
        double[] b = model(y, 1.0, 0.5, 3, shared);
        Bootstrap boot = Bootstrap.seeded(4).withResamples(400).withStratified(true);
        Map<String, Verdict> v = PairedBinary.compare("test", "A", a, 0.5, "B", b, 0.5, y, boot);
        assertEquals(BinaryMetrics.rocAuc(a, y) - BinaryMetrics.rocAuc(b, y), v.get("roc_auc").difference().value(), 1e-12);
        assertEquals(Verdict.Outcome.A_BETTER, v.get("roc_auc").outcome(), v.get("roc_auc").sentence());
        assertTrue(v.get("roc_auc").sentence().contains("ROC AUC (test, n=200)"), v.get("roc_auc").sentence());
        ConfusionMatrix ca = ConfusionMatrix.at(a, y, 0.5);
        ConfusionMatrix cb = ConfusionMatrix.at(b, y, 0.5);
        assertEquals(ca.fn() - cb.fn(), v.get(PairedBinary.FALSE_NEGATIVES).difference().value(), 0);
        assertEquals(ca.fp() - cb.fp(), v.get(PairedBinary.FALSE_POSITIVES).difference().value(), 0);
        // the paired interval is narrower than the two separate intervals side by side
        BinaryReport ra = BinaryMetrics.evaluate("test", a, y, 0.5, boot);
        BinaryReport rb = BinaryMetrics.evaluate("test", b, y, 0.5, boot);
        double separate = ra.metric("roc_auc").halfWidth() + rb.metric("roc_auc").halfWidth();
        assertTrue(v.get("roc_auc").difference().halfWidth() < separate,
                v.get("roc_auc").difference() + " vs " + separate);
    }

    @Test
    void aModelAgainstItselfIsNotDistinguishable() {
        int[] y = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1};
        double[] s = {0.9, 0.2, 0.6, 0.4, 0.5, 0.1, 0.8, 0.7, 0.55, 0.3, 0.35, 0.95};
        Map<String, Verdict> v = PairedBinary.compare("test", "A", s, 0.5, "A'", s.clone(), 0.5, y,
                Bootstrap.seeded(1).withResamples(200));
        v.values().forEach(x -> assertEquals(Verdict.Outcome.NOT_DISTINGUISHABLE, x.outcome(), x.sentence()));
    }

    @Test
    void errorCountsWithIntervalsAtTheThreshold() {
        int[] y = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
        double[] s = {0.9, 0.8, 0.7, 0.45, 0.3, 0.6, 0.2, 0.1, 0.55, 0.65, 0.3, 0.05};
        PairedBinary.ErrorCounts e = PairedBinary.errors("test", s, y, 0.5, Bootstrap.seeded(2).withResamples(300)
                .withStratified(true));
        assertEquals(2, e.falseNegatives().value(), 0);
        assertEquals(2, e.falsePositives().value(), 0);
        assertTrue(e.falseNegatives().lo() <= 2 && e.falseNegatives().hi() >= 2 && e.falseNegatives().hi() <= 6);
        assertTrue(e.toString().contains("FN 2 ["), e.toString());
    }
}
