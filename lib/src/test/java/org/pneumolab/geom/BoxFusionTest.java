package org.pneumolab.geom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Weighted box fusion and NMS over the union, against cases worked by hand from the paper's description. */
class BoxFusionTest {
    private static final Box A = new Box(0, 0, 10, 10);
    /** A shifted right by 1: IoU with A 90/110 = 0.818. */
    private static final Box A_SHIFTED = new Box(1, 0, 11, 10);
    /** A's right half and beyond: IoU with A 50/150 = 0.333. */
    private static final Box A_HALF = new Box(5, 0, 15, 10);

    private static Detection d(Box b, double s) {
        return new Detection(b, s);
    }

    private static void assertDetection(double x1, double y1, double x2, double y2, double score, Detection actual) {
        assertEquals(x1, actual.box().x1(), 1e-12, "x1 of " + actual);
        assertEquals(y1, actual.box().y1(), 1e-12, "y1 of " + actual);
        assertEquals(x2, actual.box().x2(), 1e-12, "x2 of " + actual);
        assertEquals(y2, actual.box().y2(), 1e-12, "y2 of " + actual);
        assertEquals(score, actual.score(), 1e-12, "score of " + actual);
    }

    @Test
    void twoOverlappingBoxesMergeToScoreWeightedMeanCorners() {
        // x1 = (0.9*0 + 0.6*1) / 1.5 = 0.4, x2 = (0.9*10 + 0.6*11) / 1.5 = 10.4;
        // score = mean(0.9, 0.6) * min(2, 2) / 2 = 0.75.
        List<Detection> fused = BoxFusion.weighted(List.of(List.of(d(A, 0.9)), List.of(d(A_SHIFTED, 0.6))), 0.55, 0.0);
        assertEquals(1, fused.size());
        assertDetection(0.4, 0, 10.4, 10, 0.75, fused.get(0));
    }

    @Test
    void aBoxFoundByOneSourceOfTwoHasItsScoreHalved() {
        List<Detection> fused = BoxFusion.weighted(List.of(List.of(d(A, 0.8)), List.of()), 0.55, 0.0);
        assertEquals(1, fused.size());
        assertDetection(0, 0, 10, 10, 0.4, fused.get(0));
    }

    @Test
    void boxesBelowTheIouThresholdStayApart() {
        List<Detection> fused = BoxFusion.weighted(List.of(List.of(d(A, 0.9)), List.of(d(A_HALF, 0.6))), 0.55, 0.0);
        assertEquals(2, fused.size());
        assertDetection(0, 0, 10, 10, 0.45, fused.get(0));
        assertDetection(5, 0, 15, 10, 0.30, fused.get(1));
        // at a threshold below their IoU (1/3) they merge: x1 = (0.9*0 + 0.6*5)/1.5 = 2, x2 = (9 + 9)/1.5 = 12
        List<Detection> merged = BoxFusion.weighted(List.of(List.of(d(A, 0.9)), List.of(d(A_HALF, 0.6))), 0.3, 0.0);
        assertEquals(1, merged.size());
        assertDetection(2, 0, 12, 10, 0.75, merged.get(0));
    }

    @Test
    void weightsScaleTheCornersAndTheScore() {
        // weights 2 and 1: weighted scores 1.8 and 0.6; x1 = 0.6*1/2.4 = 0.25, x2 = (18 + 6.6)/2.4 = 10.25;
        // score = (1.8 + 0.6) / 3 = 0.8.
        double[] w = {2, 1};
        List<Detection> fused = BoxFusion.weighted(List.of(List.of(d(A, 0.9)), List.of(d(A_SHIFTED, 0.6))), w, 0.55, 0);
        assertEquals(1, fused.size());
        assertDetection(0.25, 0, 10.25, 10, 0.8, fused.get(0));
        // found only by the heavy source: 0.9 * 2/3; only by the light one: 0.6 * 1/3
        assertDetection(0, 0, 10, 10, 0.6, BoxFusion.weighted(List.of(List.of(d(A, 0.9)), List.of()), w, 0.55, 0).get(0));
        assertDetection(0, 0, 10, 10, 0.2, BoxFusion.weighted(List.of(List.of(), List.of(d(A, 0.6))), w, 0.55, 0).get(0));
    }

    @Test
    void boxesBelowTheSkipThresholdAreIgnored() {
        List<Detection> fused = BoxFusion.weighted(List.of(List.of(d(A, 0.9)), List.of(d(A_SHIFTED, 0.05))), 0.55, 0.1);
        assertEquals(1, fused.size());
        assertDetection(0, 0, 10, 10, 0.45, fused.get(0));
        // a score equal to the threshold is kept
        assertEquals(1, BoxFusion.weighted(List.of(List.of(d(A, 0.1))), 0.55, 0.1).size());
    }

    @Test
    void emptyInputsGiveNothing() {
        assertTrue(BoxFusion.weighted(List.of(), 0.55, 0).isEmpty());
        assertTrue(BoxFusion.weighted(List.of(List.of(), List.of()), 0.55, 0).isEmpty());
        assertTrue(BoxFusion.nmsOverUnion(List.of(List.of(), List.of()), 0.5).isEmpty());
    }

    @Test
    void theFusedBoxIsRecomputedAfterEveryJoinAndTiesGoToTheOlderCluster() {
        // P and Q overlap by IoU 20/180 = 0.11 < 0.2: two clusters. R overlaps both by 60/140 = 0.43:
        // a tie, so it joins P's cluster, the older one (P and Q tie on score; P's source comes first).
        Box p = new Box(0, 0, 10, 10);
        Box q = new Box(8, 0, 18, 10);
        Box r = new Box(4, 0, 14, 10);
        List<List<Detection>> sources = List.of(List.of(d(p, 0.8)), List.of(d(q, 0.8)), List.of(d(r, 0.5)));
        List<Detection> fused = BoxFusion.weighted(sources, 0.2, 0);
        assertEquals(2, fused.size());
        // P + R: x1 = 0.5*4/1.3, x2 = (8 + 7)/1.3; score = (1.3/2) * 2/3
        assertDetection(2 / 1.3, 0, 15 / 1.3, 10, 1.3 / 3, fused.get(0));
        assertDetection(8, 0, 18, 10, 0.8 / 3, fused.get(1));
        // the same every time, and tied output scores keep the cluster order
        assertEquals(fused, BoxFusion.weighted(sources, 0.2, 0));
        List<Detection> tied = BoxFusion.weighted(List.of(List.of(d(q, 0.6)), List.of(d(p, 0.6))), 0.2, 0);
        assertEquals(List.of(d(q, 0.3), d(p, 0.3)), tied);
    }

    @Test
    void aSourceCountsOnceWhenItPutsTwoBoxesInACluster() {
        // Source 0 repeats itself; the cluster was found by one source of two, so its mean score is halved.
        List<Detection> fused = BoxFusion.weighted(List.of(List.of(d(A, 0.8), d(A_SHIFTED, 0.4)), List.of()), 0.55, 0);
        assertEquals(1, fused.size());
        assertDetection(0.4 / 1.2, 0, (8 + 4.4) / 1.2, 10, 0.6 / 2, fused.get(0));
    }

    @Test
    void fusedScoresStayWithinTheInputRange() {
        Random rnd = new Random(7);
        for (int t = 0; t < 200; t++) {
            List<List<Detection>> sources = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                List<Detection> list = new ArrayList<>();
                for (int i = 0, n = rnd.nextInt(6); i < n; i++) {
                    list.add(d(Box.fromXywh(40 * rnd.nextDouble(), 40 * rnd.nextDouble(), 5 + 20 * rnd.nextDouble(),
                            5 + 20 * rnd.nextDouble()), rnd.nextDouble()));
                }
                sources.add(list);
            }
            double max = sources.stream().flatMap(List::stream).mapToDouble(Detection::score).max().orElse(0);
            for (Detection f : BoxFusion.weighted(sources, 0.5, 0)) {
                assertTrue(f.score() >= 0 && f.score() <= max + 1e-12, f + " vs max " + max);
            }
        }
    }

    @Test
    void nmsOverTheUnionKeepsTheBestOfEachOverlappingGroupUnchanged() {
        List<List<Detection>> sources = List.of(List.of(d(A_HALF, 0.6), d(A, 0.5)), List.of(d(A_SHIFTED, 0.9)));
        // A_SHIFTED (0.9) suppresses A (IoU 0.818 > 0.5); A_HALF overlaps A_SHIFTED by 40/160 and stays
        assertEquals(List.of(d(A_SHIFTED, 0.9), d(A_HALF, 0.6)), BoxFusion.nmsOverUnion(sources, 0.5));
        // a threshold of 1 keeps everything, best first
        assertEquals(List.of(d(A_SHIFTED, 0.9), d(A_HALF, 0.6), d(A, 0.5)), BoxFusion.nmsOverUnion(sources, 1.0));
    }

    @Test
    void badArgumentsAreRefused() {
        List<List<Detection>> one = List.of(List.of(d(A, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> BoxFusion.weighted(one, new double[] {1, 1}, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> BoxFusion.weighted(one, new double[] {0}, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> BoxFusion.weighted(one, 1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> BoxFusion.weighted(one, 0.5, -0.1));
    }
}
