package org.pneumolab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerdictTest {
    private static Verdict v(double d, double lo, double hi, boolean higherIsBetter) {
        return new Verdict("RetinaNet", "Faster R-CNN", "RSNA metric", higherIsBetter, new Estimate(d, lo, hi),
                "held-out", 59, "95% paired bootstrap over images, B=1000, seed 1");
    }

    @Test
    void aBetterWhenTheIntervalIsAboveZero() {
        Verdict v = v(0.05, 0.01, 0.09, true);
        assertEquals(Verdict.Outcome.A_BETTER, v.outcome());
        assertTrue(v.sentence().startsWith("RetinaNet is better than Faster R-CNN on RSNA metric (held-out, n=59)"),
                v.sentence());
        assertTrue(v.sentence().contains("+0.050 [+0.010, +0.090]"), v.sentence());
        assertTrue(v.sentence().contains("excludes 0"), v.sentence());
    }

    @Test
    void bBetterWhenTheIntervalIsBelowZero() {
        Verdict v = v(-0.05, -0.09, -0.01, true);
        assertEquals(Verdict.Outcome.B_BETTER, v.outcome());
        assertTrue(v.sentence().startsWith("Faster R-CNN is better than RetinaNet"), v.sentence());
        assertEquals("Faster R-CNN", v.winner());
    }

    @Test
    void notDistinguishableWhenTheIntervalContainsZero() {
        Verdict v = v(0.02, -0.01, 0.05, true);
        assertEquals(Verdict.Outcome.NOT_DISTINGUISHABLE, v.outcome());
        assertFalse(v.distinguishable());
        assertTrue(v.sentence().contains("not distinguishable on this data"), v.sentence());
        assertTrue(v.sentence().contains("contains 0"), v.sentence());
        Verdict edge = v(0.02, 0.0, 0.05, true); // touching zero is not excluding it
        assertEquals(Verdict.Outcome.NOT_DISTINGUISHABLE, edge.outcome());
        Verdict undefined = v(Double.NaN, Double.NaN, Double.NaN, true);
        assertTrue(undefined.sentence().contains("undefined"), undefined.sentence());
    }

    @Test
    void lowerIsBetterFlipsTheWinner() {
        // A has more false positives per image than B: B is better
        Verdict v = new Verdict("Faster R-CNN (no negatives)", "RetinaNet", "false positives per negative image", false,
                new Estimate(1.9, 1.5, 2.3), "held-out", 59, "paired bootstrap");
        assertEquals(Verdict.Outcome.B_BETTER, v.outcome());
        assertTrue(v.sentence().startsWith("RetinaNet is better than Faster R-CNN (no negatives)"), v.sentence());
        assertTrue(v.sentence().contains("lower is better"), v.sentence());
    }

    @Test
    void countsAreWholeNumbers() {
        Verdict v = new Verdict("fine-tuned", "frozen", PairedBinary.FALSE_NEGATIVES, false, new Estimate(17, 7, 27), "test",
                192, "paired bootstrap");
        assertEquals("+17 [+7, +27]", v.differenceCell());
        assertTrue(v.sentence().startsWith("frozen is better than fine-tuned on false negatives"), v.sentence());
    }
}
