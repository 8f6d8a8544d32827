package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.pneumolab.geom.Box;

class AnchorsMatcherCoderTest {
    private static final Matcher RETINANET = RetinaNetConfig.sample(1).matcher();

    @Test
    void anchorCountsAndCentres() {
        AnchorGenerator g = AnchorGenerator.retinaNet(1.0);
        assertEquals(9, g.anchorsPerLocation());
        // 128 px: P3..P7 maps 16, 8, 4, 2, 1
        assertEquals(9 * (256 + 64 + 16 + 4 + 1), g.count(128));
        // 100 px rounds up like SAME convolutions: 13, 7, 4, 2, 1
        assertEquals(9 * (169 + 49 + 16 + 4 + 1), g.count(100));
        double[] a = g.anchors(128);
        assertEquals(4 * g.count(128), a.length);
        // first anchor: P3 cell (0,0), scale 1, ratio 0.5 (w = 32/sqrt(.5), h = 32*sqrt(.5)), centre (4,4)
        assertEquals(4.0, (a[0] + a[2]) / 2, 1e-9);
        assertEquals(4.0, (a[1] + a[3]) / 2, 1e-9);
        assertEquals(32 / Math.sqrt(0.5), a[2] - a[0], 1e-9);
        assertEquals(32 * Math.sqrt(0.5), a[3] - a[1], 1e-9);
        // anchor 9 is cell (y=0, x=1): centre (12, 4)
        assertEquals(12.0, (a[36] + a[38]) / 2, 1e-9);
        // the last anchor is P7's single cell, centre (64, 64), largest scale, ratio 2
        int last = a.length - 4;
        assertEquals(64.0, (a[last] + a[last + 2]) / 2, 1e-9);
        assertEquals(512 * Math.pow(2, 2.0 / 3) * Math.sqrt(2), a[last + 3] - a[last + 1], 1e-6);
    }

    @Test
    void matcherThresholdsAndLowQuality() {
        // one gt, four anchors with IoU 0.6 (fg), 0.45 (ignore), 0.3 (bg), 0.0 (bg)
        double[][] iou = {{0.6, 0.45, 0.3, 0.0}};
        assertArrayEquals(new int[] {0, Matcher.IGNORE, Matcher.BACKGROUND, Matcher.BACKGROUND},
                RETINANET.match(iou, 4));
        // gt 1's best anchor has only 0.3: low-quality matching makes it foreground for gt 1
        double[][] two = {{0.6, 0.45, 0.1, 0.0}, {0.0, 0.1, 0.3, 0.2}};
        assertArrayEquals(new int[] {0, Matcher.IGNORE, 1, Matcher.BACKGROUND}, RETINANET.match(two, 4));
        assertArrayEquals(new int[] {0, Matcher.IGNORE, Matcher.BACKGROUND, Matcher.BACKGROUND},
                new Matcher(0.5, 0.4, false).match(two, 4));
        // no ground truth: everything background
        assertArrayEquals(new int[] {-1, -1, -1}, RETINANET.match(new double[0][], 3));
        // anchor closer to gt 0 stays with gt 0 even when gt 1 claims it as its best
        double[][] shared = {{0.8, 0.1}, {0.3, 0.1}};
        assertArrayEquals(new int[] {0, Matcher.BACKGROUND}, RETINANET.match(shared, 2));
    }

    @Test
    void coderRoundTripAndClamp() {
        double[] anchors = {10, 20, 42, 36, 0, 0, 16, 16};
        Box gt = new Box(12.5, 18, 50, 44);
        for (BoxCoder c : List.of(BoxCoder.UNIT, BoxCoder.ROI_HEAD)) {
            double[] d = c.encode(gt, anchors, 0);
            double[] out = new double[4];
            c.decode(d, 0, anchors, 0, out);
            assertArrayEquals(new double[] {12.5, 18, 50, 44}, out, 1e-9);
        }
        // exactly the anchor encodes to zeros
        assertArrayEquals(new double[] {0, 0, 0, 0}, BoxCoder.UNIT.encode(new Box(0, 0, 16, 16), anchors, 1), 1e-12);
        // huge dw is clamped at log(1000/16): width at most 1000/16 times the anchor's
        Box b = BoxCoder.UNIT.decode(new double[] {0, 0, 50, 50}, new Box(0, 0, 16, 16));
        assertEquals(1000, b.width(), 1e-6);
    }

    @Test
    void balancedSamplerFractionsAndSeed() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 20 ? 1 : i < 900 ? 0 : -1;
        }
        BalancedSampler s = new BalancedSampler(256, 0.5);
        int[] a = s.sample(labels, 7);
        assertEquals(20, count(a, 1)); // all 20 positives (fewer than 128)
        assertEquals(236, count(a, 0)); // filled with negatives
        for (int i = 900; i < 1000; i++) {
            assertEquals(-1, a[i]); // ignored stay unused
        }
        assertArrayEquals(a, s.sample(labels, 7));
        assertTrue(!java.util.Arrays.equals(a, s.sample(labels, 8)));
        int[] many = new int[1000]; // 500 positives: capped at 25% of 64
        for (int i = 0; i < 500; i++) {
            many[i] = 1;
        }
        int[] b = new BalancedSampler(64, 0.25).sample(many, 1);
        assertEquals(16, count(b, 1));
        assertEquals(48, count(b, 0));
    }

    @Test
    void focalLossAndSmoothL1ByHand() {
        // z = 0: p = 0.5, ce = log 2; positive: 0.25 * 0.5^2 * log2
        assertEquals(0.25 * 0.25 * Math.log(2), HostLosses.sigmoidFocal(0, 1, 0.25, 2), 1e-12);
        assertEquals(0.75 * 0.25 * Math.log(2), HostLosses.sigmoidFocal(0, 0, 0.25, 2), 1e-12);
        // z = 2, y = 1: p = 0.8808, (1-p)^2 * -log p * 0.25
        double p = 1 / (1 + Math.exp(-2));
        assertEquals(0.25 * Math.pow(1 - p, 2) * -Math.log(p), HostLosses.sigmoidFocal(2, 1, 0.25, 2), 1e-12);
        // gamma 0, alpha 0.5 is half the BCE
        assertEquals(0.5 * HostLosses.bce(-1.3, 1), HostLosses.sigmoidFocal(-1.3, 1, 0.5, 0), 1e-12);
        // stable for large logits
        assertEquals(0.0, HostLosses.sigmoidFocal(80, 1, 0.25, 2), 1e-30);
        assertTrue(Double.isFinite(HostLosses.sigmoidFocal(-80, 1, 0.25, 2)));
        assertEquals(0.5 * 0.05 * 0.05 / 0.1, HostLosses.smoothL1(-0.05, 0.1), 1e-12);
        assertEquals(2 - 0.05, HostLosses.smoothL1(2, 0.1), 1e-12);
    }

    private static int count(int[] a, int v) {
        int n = 0;
        for (int x : a) {
            n += x == v ? 1 : 0;
        }
        return n;
    }
}
