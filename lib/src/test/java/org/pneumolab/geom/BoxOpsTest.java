package org.pneumolab.geom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The one set of tests for the box kernel that boxes, NMS, the metric and the sweep share. */
class BoxOpsTest {
    // Four boxes: A, A shifted by 1 (IoU 90/110), A's right half shifted (IoU 1/3), far away.
    private static final double[] CORNERS = {
        50, 50, 60, 60,   // 0 FAR, score 0.3
        5, 0, 15, 10,     // 1 A_HALF, 0.7
        0, 0, 10, 10,     // 2 A, 0.9
        1, 0, 11, 10,     // 3 A_SHIFTED, 0.8
    };
    private static final double[] SCORES = {0.3, 0.7, 0.9, 0.8};

    @Test
    void iouByHand() {
        assertEquals(1.0, BoxOps.iou(CORNERS, 2, CORNERS, 2));
        assertEquals(50.0 / 150.0, BoxOps.iou(CORNERS, 2, CORNERS, 1), 1e-15);
        assertEquals(90.0 / 110.0, BoxOps.iou(CORNERS, 2, CORNERS, 3), 1e-15);
        assertEquals(0.0, BoxOps.iou(CORNERS, 2, CORNERS, 0));
        // touching edges do not overlap
        assertEquals(0.0, BoxOps.iou(0, 0, 10, 10, 10, 0, 20, 10));
        // contained: 4 / 100
        assertEquals(0.04, BoxOps.iou(0, 0, 10, 10, 1, 1, 3, 3), 1e-15);
        // empty boxes
        assertEquals(0.0, BoxOps.iou(5, 5, 5, 5, 5, 5, 5, 5));
        assertEquals(25.0, BoxOps.intersection(0, 0, 10, 10, 5, 5, 20, 20));
    }

    @Test
    void iouIsSymmetricBitForBitAndMatchesBox() {
        Random r = new Random(11);
        double[] a = new double[4];
        double[] b = new double[4];
        for (int k = 0; k < 2000; k++) {
            fill(r, a);
            fill(r, b);
            double ab = BoxOps.iou(a, 0, b, 0);
            assertEquals(Double.doubleToLongBits(ab), Double.doubleToLongBits(BoxOps.iou(b, 0, a, 0)));
            Box ba = new Box(a[0], a[1], a[2], a[3]);
            assertEquals(Double.doubleToLongBits(ab), Double.doubleToLongBits(ba.iou(new Box(b[0], b[1], b[2], b[3]))));
        }
    }

    @Test
    void floatBoxesAreWidenedBeforeArithmetic() {
        float[] a = {0.1f, 0.2f, 10.3f, 10.7f};
        float[] b = {5.1f, 0.3f, 15.9f, 9.9f};
        double expected = BoxOps.iou(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(BoxOps.iou(a, 0, b, 0)));
        double[] m = new double[1];
        BoxOps.iouMatrix(a, 1, b, 1, m);
        assertEquals(expected, m[0]);
    }

    @Test
    void iouMatrixIsRowMajor() {
        double[] out = new double[2 * 4];
        BoxOps.iouMatrix(new double[] {0, 0, 10, 10, 50, 50, 60, 60}, 2, CORNERS, 4, out);
        assertArrayEquals(new double[] {0, 1.0 / 3, 1, 90.0 / 110, 1, 0, 0, 0}, out, 1e-15);
    }

    @Test
    void greedyNmsByHand() {
        // A first; A_SHIFTED suppressed (0.82 > 0.5); A_HALF kept (1/3); FAR kept
        assertArrayEquals(new int[] {2, 1, 0}, BoxOps.nms(CORNERS, SCORES, 4, 0.5, 10));
        assertArrayEquals(new int[] {2, 1}, BoxOps.nms(CORNERS, SCORES, 4, 0.5, 2));
        // stricter: A_HALF overlaps A by 1/3 > 0.3 and goes too
        assertArrayEquals(new int[] {2, 0}, BoxOps.nms(CORNERS, SCORES, 4, 0.3, 10));
        // only suppressed by kept boxes: A_HALF vs A_SHIFTED (6/14) is never compared at 0.95
        assertArrayEquals(new int[] {2, 3, 1, 0}, BoxOps.nms(CORNERS, SCORES, 4, 0.95, 10));
        // n limits the boxes considered
        assertArrayEquals(new int[] {1, 0}, BoxOps.nms(CORNERS, SCORES, 2, 0.5, 10));
    }

    @Test
    void thresholdOfOneKeepsEverythingInScoreOrder() {
        double[] same = {0, 0, 10, 10, 0, 0, 10, 10};
        assertArrayEquals(new int[] {1, 0}, BoxOps.nms(same, new double[] {0.1, 0.2}, 2, 1.0, 10));
        assertArrayEquals(new int[] {1}, BoxOps.nms(same, new double[] {0.1, 0.2}, 2, 0.99, 10));
    }

    @Test
    void tiesKeepInputOrder() {
        double[] far = {0, 0, 1, 1, 10, 10, 11, 11, 20, 20, 21, 21};
        assertArrayEquals(new int[] {0, 1, 2}, BoxOps.orderByScore(new double[] {0.5, 0.5, 0.5}, 3));
        assertArrayEquals(new int[] {1, 0, 2}, BoxOps.orderByScore(new double[] {0.5, 0.7, 0.5}, 3));
        // two identical boxes with equal scores: the first one in the input wins
        double[] twins = {0, 0, 10, 10, 0, 0, 10, 10};
        assertArrayEquals(new int[] {0}, BoxOps.nms(twins, new double[] {0.4, 0.4}, 2, 0.5, 10));
        assertArrayEquals(new int[] {0, 1, 2}, BoxOps.nms(far, new double[] {0.5, 0.5, 0.5}, 3, 0.5, 10));
    }

    @Test
    void scaleAboutCentreByHand() {
        double[] out = new double[4];
        BoxOps.scaleAboutCentre(new double[] {100, 200, 300, 600}, 0, 0.875, out, 0);
        assertArrayEquals(new double[] {112.5, 225, 287.5, 575}, out, 0);
        BoxOps.scaleAboutCentre(new double[] {0, 0, 10, 10}, 0, 0, out, 0);
        assertArrayEquals(new double[] {5, 5, 5, 5}, out, 0);
        assertThrows(IllegalArgumentException.class, () -> BoxOps.scaleAboutCentre(new double[4], 0, -1, new double[4], 0));
        assertThrows(IllegalArgumentException.class,
                () -> BoxOps.scaleAboutCentre(new double[4], 0, Double.NaN, new double[4], 0));
    }

    private static void fill(Random r, double[] box) {
        double x = r.nextDouble() * 100;
        double y = r.nextDouble() * 100;
        box[0] = x;
        box[1] = y;
        box[2] = x + r.nextDouble() * 50;
        box[3] = y + r.nextDouble() * 50;
    }
}
