package org.pneumolab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class RsnaMetricTest {
    static final Box G = new Box(0, 0, 10, 10); // area 100
    final RsnaMetric metric = new RsnaMetric();

    static Detection det(Box b, double score) {
        return new Detection(b, score);
    }

    @Test
    void emptyAndEmptyIsLeftOut() {
        assertTrue(Double.isNaN(metric.imageScore(List.of(), List.of())));
    }

    @Test
    void falsePositiveOnNegativeImageScoresZero() {
        // no truth, one prediction: TP 0, FP 1, FN 0 at every threshold -> 0
        assertEquals(0.0, metric.imageScore(List.of(), List.of(det(G, 0.9))));
    }

    @Test
    void missedBoxScoresZero() {
        // one truth, no prediction: TP 0, FP 0, FN 1 -> 0
        assertEquals(0.0, metric.imageScore(List.of(G), List.of()));
    }

    @Test
    void perfectAndPartial() {
        assertEquals(1.0, metric.imageScore(List.of(G), List.of(det(G, 0.5))), 1e-12);
        // two truths, one found exactly: TP 1, FP 0, FN 1 -> 1/2 at every threshold
        assertEquals(0.5, metric.imageScore(List.of(G, new Box(50, 50, 60, 60)), List.of(det(G, 0.5))), 1e-12);
    }

    @Test
    void duplicateIsAFalsePositive() {
        // the second copy finds no unmatched truth: TP 1, FP 1, FN 0 -> 1/2 at every threshold
        assertEquals(0.5, metric.imageScore(List.of(G), List.of(det(G, 0.9), det(G, 0.8))), 1e-12);
    }

    @Test
    void iouExactlyAtThresholdIsAMiss() {
        // IoU 40/100 = 0.40: not > 0.40, so a miss at all 8 thresholds -> 0
        assertEquals(0.0, metric.imageScore(List.of(G), List.of(det(new Box(0, 0, 10, 4), 1))), 1e-12);
        // IoU 50/100 = 0.50: hit at 0.40 and 0.45 only; elsewhere TP 0, FP 1, FN 1 -> 2/8
        assertEquals(2.0 / 8, metric.imageScore(List.of(G), List.of(det(new Box(0, 0, 10, 5), 1))), 1e-12);
        // IoU 75/100 = 0.75: hit at 0.40 .. 0.70 (7 thresholds), miss at 0.75 -> 7/8
        assertEquals(7.0 / 8, metric.imageScore(List.of(G), List.of(det(new Box(0, 0, 10, 7.5), 1))), 1e-12);
    }

    @Test
    void confidenceOrderMatters() {
        // G1 = [0,0,10,10], G2 = [2,0,12,10]. Q = G1 (IoU 1 with G1, 80/120 = 0.667 with G2).
        // P = [0.5,0,10.5,10]: IoU with G1 95/105 = 0.905, with G2 85/115 = 0.739.
        Box g1 = G;
        Box g2 = new Box(2, 0, 12, 10);
        Box q = G;
        Box p = new Box(0.5, 0, 10.5, 10);
        // P first: P takes G1; Q's only unmatched truth is G2 at 0.667 -> hit for t in 0.40..0.65 (6):
        //   TP 2 -> 1; at 0.70, 0.75 Q is a FP: TP 1, FP 1, FN 1 -> 1/3. Image: (6 + 2/3) / 8
        assertEquals((6 + 2.0 / 3) / 8, metric.imageScore(List.of(g1, g2), List.of(det(p, 0.9), det(q, 0.8))), 1e-12);
        // Q first: Q takes G1; P's only unmatched truth is G2 at 0.739 -> hit for t in 0.40..0.70 (7):
        //   score 1; at 0.75: 1/3. Image: (7 + 1/3) / 8
        assertEquals((7 + 1.0 / 3) / 8, metric.imageScore(List.of(g1, g2), List.of(det(p, 0.8), det(q, 0.9))), 1e-12);
    }

    @Test
    void packedCoreMatchesBoxes() {
        float[] gt = RsnaMetric.pack(List.of(G));
        float[] pred = RsnaMetric.pack(List.of(new Box(0, 0, 10, 5), G));
        // only the first nPred boxes count: IoU 0.5 alone -> 2/8
        assertEquals(2.0 / 8, metric.imageScore(gt, 1, pred, 1), 1e-12);
        // both: the 0.5 box (first in confidence order) is a hit at 0.40, 0.45 (then G is a FP: 1/2),
        // a FP elsewhere while G hits (TP 1, FP 1 -> 1/2): 1/2 at every threshold
        assertEquals(0.5, metric.imageScore(gt, 1, pred, 2), 1e-12);
    }

    @Test
    void datasetMeanOverThresholdsAndImages() {
        Map<String, List<Box>> truth = new LinkedHashMap<>();
        truth.put("perfect", List.of(G));
        truth.put("fp", List.of());
        truth.put("empty", List.of());
        truth.put("half", List.of(G));
        Map<String, List<Detection>> preds = Map.of(
                "perfect", List.of(det(G, 0.9)),
                "fp", List.of(det(G, 0.3)),
                "half", List.of(det(new Box(0, 0, 10, 5), 0.8)),
                "stranger", List.of(det(G, 0.1)));
        RsnaResult r = RsnaMetric.evaluate("val", truth, preds, Map.of());
        // images: perfect 1, fp 0, half 2/8 (IoU 0.5), empty left out -> (1 + 0 + 0.25) / 3
        assertEquals((1 + 0 + 0.25) / 3, r.score(), 1e-12);
        assertEquals(3, r.imagesScored());
        assertEquals(1, r.imagesLeftOut());
        assertEquals(1, r.unlabelledImages());
        assertEquals("val", r.split());
        assertEquals(r.score(), new RsnaMetric().score(
                new float[][] {RsnaMetric.pack(List.of(G)), new float[0], new float[0], RsnaMetric.pack(List.of(G))},
                new int[] {1, 0, 0, 1},
                new float[][] {RsnaMetric.pack(List.of(G)), RsnaMetric.pack(List.of(G)), new float[0],
                        RsnaMetric.pack(List.of(new Box(0, 0, 10, 5)))},
                new int[] {1, 1, 0, 1}), 1e-12);
    }

    @Test
    void ap50AllPointAndFalsePositivesByClass() {
        Box far = new Box(100, 100, 110, 110);
        Map<String, List<Box>> truth = new LinkedHashMap<>();
        truth.put("i1", List.of(G));
        truth.put("i2", List.of(G));
        truth.put("i3", List.of());
        truth.put("i4", List.of());
        Map<String, List<Detection>> preds = Map.of(
                "i1", List.of(det(G, 0.9), det(far, 0.8)),
                "i2", List.of(det(G, 0.85)),
                "i3", List.of(det(G, 0.95)));
        Map<String, String> classes = Map.of("i1", "Lung Opacity", "i2", "Lung Opacity",
                "i3", "No Lung Opacity / Not Normal", "i4", "Normal");
        RsnaResult r = RsnaMetric.evaluate("val", truth, preds, classes);
        // pooled by confidence: 0.95 FP (P 0/1, R 0), 0.9 TP (1/2, 0.5), 0.85 TP (2/3, 1), 0.8 FP (2/4, 1)
        // monotone precision from the right: 2/3, 2/3, 2/3, 1/2
        // AP = (0.5 - 0) * 2/3 + (1 - 0.5) * 2/3 = 2/3   (no interpolation would give 0.5*0.5 + 0.5*2/3)
        assertEquals(2.0 / 3, r.ap50(), 1e-12);
        // FP: i1 one (far), i2 none, i3 one, i4 none
        assertEquals(new ClassFalsePositives("Lung Opacity", 2, 1), r.falsePositives().get("Lung Opacity"));
        assertEquals(0.5, r.falsePositives().get("Lung Opacity").perImage(), 1e-12);
        assertEquals(1.0, r.falsePositives().get("No Lung Opacity / Not Normal").perImage(), 1e-12);
        assertEquals(0.0, r.falsePositives().get("Normal").perImage(), 1e-12);
        assertTrue(r.toString().contains("No Lung Opacity / Not Normal"));
        assertTrue(r.toString().contains("split: val"));
    }
}
