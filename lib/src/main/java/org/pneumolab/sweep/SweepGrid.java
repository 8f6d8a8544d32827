package org.pneumolab.sweep;

import java.util.Arrays;

import org.pneumolab.detect.PostProcess;

/**
 * The post-processing settings to try: every combination of score threshold, NMS IoU (1 or more
 * means no NMS), shrink factor about the box centre and maximum boxes per image.
 */
public record SweepGrid(double[] scoreThresholds, double[] nmsIous, double[] shrinks, int[] maxBoxes) {
    public SweepGrid {
        scoreThresholds = sortedCopy(scoreThresholds, "score thresholds");
        nmsIous = sortedCopy(nmsIous, "NMS IoUs");
        shrinks = sortedCopy(shrinks, "shrink factors");
        maxBoxes = maxBoxes.clone();
        Arrays.sort(maxBoxes);
        if (maxBoxes.length == 0) {
            throw new IllegalArgumentException("sweep grid needs at least one maximum box count");
        }
        // Let PostProcess validate the ranges once per value, with its own messages.
        for (double t : scoreThresholds) {
            new PostProcess(t, 0.5, 1, 1.0);
        }
        for (double n : nmsIous) {
            new PostProcess(0.5, n, 1, 1.0);
        }
        for (double s : shrinks) {
            new PostProcess(0.5, 0.5, 1, s);
        }
        for (int m : maxBoxes) {
            new PostProcess(0.5, 0.5, m, 1.0);
        }
    }

    /**
     * 1,000 points around the RSNA write-ups: thresholds 0.02-0.6 (3rd place used 0.04-0.05, the
     * published ~0.2), NMS 0 (3rd place) to 0.6, shrink 0.70-1.00 (3rd place 0.83, the published 0.875),
     * at most 1-4 boxes (an RSNA image has at most 4 labelled boxes, nearly always 1-2).
     */
    public static SweepGrid standard() {
        return new SweepGrid(new double[] {0.02, 0.04, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6},
                new double[] {0.0, 0.1, 0.25, 0.4, 0.6},
                new double[] {0.70, 0.80, 0.875, 0.95, 1.00},
                new int[] {1, 2, 3, 4});
    }

    public int size() {
        return scoreThresholds.length * nmsIous.length * shrinks.length * maxBoxes.length;
    }

    /** The point with these indices (threshold, NMS, shrink, max boxes). */
    public PostProcess settings(int t, int n, int s, int m) {
        return new PostProcess(scoreThresholds[t], nmsIous[n], maxBoxes[m], shrinks[s]);
    }

    private static double[] sortedCopy(double[] v, String what) {
        if (v.length == 0) {
            throw new IllegalArgumentException("sweep grid needs at least one of the " + what);
        }
        double[] c = v.clone();
        Arrays.sort(c);
        for (int i = 1; i < c.length; i++) {
            if (c[i] == c[i - 1]) {
                throw new IllegalArgumentException("sweep grid lists " + what + " value " + c[i] + " twice");
            }
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SweepGrid g && Arrays.equals(scoreThresholds, g.scoreThresholds)
                && Arrays.equals(nmsIous, g.nmsIous) && Arrays.equals(shrinks, g.shrinks)
                && Arrays.equals(maxBoxes, g.maxBoxes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scoreThresholds) * 31 + Arrays.hashCode(nmsIous) * 17 + Arrays.hashCode(shrinks) * 7
                + Arrays.hashCode(maxBoxes);
    }

    @Override
    public String toString() {
        return "SweepGrid[score " + Arrays.toString(scoreThresholds) + ", nms " + Arrays.toString(nmsIous)
                + ", shrink " + Arrays.toString(shrinks) + ", max boxes " + Arrays.toString(maxBoxes) + "]";
    }
}
