package org.pneumolab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {
    // Hand case A (no ties), threshold 0.5:
    //   score  0.9 0.8 0.7 0.6 0.55 0.4 0.3 0.2
    //   label   1   1   0   1   0    0   1   0
    //   predicted positive (>= 0.5): 0.9 0.8 0.7 0.6 0.55 -> TP 3 (0.9,0.8,0.6), FP 2 (0.7,0.55)
    //   predicted negative: 0.4 0.3 0.2 -> TN 2 (0.4,0.2), FN 1 (0.3)
    static final double[] A_SCORES = {0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2};
    static final int[] A_LABELS = {1, 1, 0, 1, 0, 0, 1, 0};

    // Hand case B (ties): positives {0.8, 0.5, 0.2}, negatives {0.5, 0.5, 0.1}
    static final double[] B_SCORES = {0.8, 0.5, 0.5, 0.5, 0.2, 0.1};
    static final int[] B_LABELS = {1, 1, 0, 0, 1, 0};

    @Test
    void confusionMatrixAndRatesByHand() {
        ConfusionMatrix cm = ConfusionMatrix.at(A_SCORES, A_LABELS, 0.5);
        assertEquals(new ConfusionMatrix(0.5, 3, 2, 2, 1), cm);
        assertEquals(5.0 / 8, cm.accuracy(), 1e-12);     // (TP+TN)/n = (3+2)/8
        assertEquals(3.0 / 5, cm.precision(), 1e-12);    // TP/(TP+FP) = 3/5
        assertEquals(3.0 / 4, cm.recall(), 1e-12);       // TP/(TP+FN) = 3/4
        assertEquals(2.0 / 4, cm.specificity(), 1e-12);  // TN/(TN+FP) = 2/4
        assertEquals(6.0 / 9, cm.f1(), 1e-12);           // 2TP/(2TP+FP+FN) = 6/9
    }

    @Test
    void thresholdIsInclusive() {
        // a score equal to the threshold is predicted positive
        ConfusionMatrix cm = ConfusionMatrix.at(A_SCORES, A_LABELS, 0.6);
        assertEquals(3, cm.tp()); // 0.9 0.8 0.6
        assertEquals(1, cm.fp()); // 0.7
    }

    @Test
    void reportMatchesConfusionMatrix() {
        BinaryReport r = BinaryMetrics.evaluate("test", A_SCORES, A_LABELS, 0.5, Bootstrap.seeded(1).withResamples(200));
        assertEquals("test", r.split());
        assertEquals(8, r.n());
        assertEquals(5.0 / 8, r.metric("accuracy").value(), 1e-12);
        assertEquals(3.0 / 5, r.metric("precision").value(), 1e-12);
        assertEquals(3.0 / 4, r.metric("recall").value(), 1e-12);
        assertEquals(2.0 / 4, r.metric("specificity").value(), 1e-12);
        assertEquals(6.0 / 9, r.metric("f1").value(), 1e-12);
        assertEquals(BinaryMetrics.NAMES, List.copyOf(r.metrics().keySet()));
    }

    @Test
    void rocAucByHandWithoutTies() {
        // Pairs (pos > neg) out of 4x4: 0.9 beats 4, 0.8 beats 4, 0.6 beats 3 (0.55,0.4,0.2), 0.3 beats 1 (0.2)
        // AUC = 12/16 = 0.75
        assertEquals(0.75, BinaryMetrics.rocAuc(A_SCORES, A_LABELS), 1e-12);
    }

    @Test
    void rocAucWithTiesCountsHalf() {
        // 0.8 beats 3; 0.5 ties two 0.5 negatives (2 x 1/2) and beats 0.1 -> 2; 0.2 beats 0.1 -> 1
        // AUC = (3 + 2 + 1) / 9 = 2/3
        assertEquals(2.0 / 3, BinaryMetrics.rocAuc(B_SCORES, B_LABELS), 1e-12);
        // all scores tied: every pair is a half
        assertEquals(0.5, BinaryMetrics.rocAuc(new double[] {1, 1, 1, 1}, new int[] {1, 0, 1, 0}), 1e-12);
    }

    @Test
    void averagePrecisionByHand() {
        // Case A, descending: 0.9 P (prec 1/1), 0.8 P (2/2), 0.7 N, 0.6 P (3/4), 0.55 N, 0.4 N, 0.3 P (4/7), 0.2 N
        // AP = sum (recall gain 1/4) x precision = (1 + 1 + 3/4 + 4/7) / 4
        assertEquals((1 + 1 + 0.75 + 4.0 / 7) / 4, BinaryMetrics.averagePrecision(A_SCORES, A_LABELS), 1e-12);
        // Case B, groups of equal scores: 0.8 {P}: 1/1; 0.5 {P,N,N}: 2/4; 0.2 {P}: 3/5; 0.1 {N}
        // AP = (1 + 0.5 + 0.6) / 3 = 0.7 (a tie group is one threshold, as in sklearn)
        assertEquals(0.7, BinaryMetrics.averagePrecision(B_SCORES, B_LABELS), 1e-12);
    }

    @Test
    void undefinedMetricsAreNaN() {
        double[] s = {0.1, 0.2};
        int[] y = {0, 0};
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(s, y)));
        assertTrue(Double.isNaN(BinaryMetrics.averagePrecision(s, y)));
        assertTrue(Double.isNaN(ConfusionMatrix.at(s, y, 0.5).precision()));
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.rocAuc(new double[] {1}, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.rocAuc(new double[] {1, 2}, new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.rocAuc(new double[] {Double.NaN}, new int[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.evaluate(" ", A_SCORES, A_LABELS, 0.5, Bootstrap.seeded(1)));
    }

    @Test
    void curvesByHand() {
        Curves c = Curves.of(B_SCORES, B_LABELS);
        // thresholds +inf, 0.8, 0.5, 0.2, 0.1; 3 positives, 3 negatives
        assertEquals(List.of(
                new Curves.RocPoint(Double.POSITIVE_INFINITY, 0, 0),
                new Curves.RocPoint(0.8, 0, 1.0 / 3),
                new Curves.RocPoint(0.5, 2.0 / 3, 2.0 / 3),
                new Curves.RocPoint(0.2, 2.0 / 3, 1),
                new Curves.RocPoint(0.1, 1, 1)), c.roc());
        assertEquals(List.of(
                new Curves.PrPoint(Double.POSITIVE_INFINITY, 0, 1),
                new Curves.PrPoint(0.8, 1.0 / 3, 1),
                new Curves.PrPoint(0.5, 2.0 / 3, 0.5),
                new Curves.PrPoint(0.2, 1, 0.6),
                new Curves.PrPoint(0.1, 1, 0.5)), c.pr());
    }

    @Test
    void thresholdForTargetRecall() {
        // Case A descending recall: 0.9 -> 1/4, 0.8 -> 2/4, 0.7 -> 2/4, 0.6 -> 3/4 : first to reach 0.75 is 0.6
        OperatingPoint op = OperatingPoint.forRecall("val", A_SCORES, A_LABELS, 0.75);
        assertEquals(0.6, op.threshold());
        assertEquals(0.75, op.recall(), 1e-12);
        assertEquals(0.75, op.specificity(), 1e-12); // negatives below 0.6: 0.55, 0.4, 0.2 -> 3/4
        // 0.97 with 4 positives needs all 4: the lowest positive 0.3; only 0.2 is below -> specificity 1/4
        OperatingPoint screening = OperatingPoint.forRecall("val", A_SCORES, A_LABELS, 0.97);
        assertEquals(0.3, screening.threshold());
        assertEquals(1.0, screening.recall(), 1e-12);
        assertEquals(0.25, screening.specificity(), 1e-12);
        assertTrue(screening.toString().contains("val split"));
    }
}
