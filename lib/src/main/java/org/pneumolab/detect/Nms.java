package org.pneumolab.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Class-agnostic greedy non-maximum suppression on the host: keep the best-scoring box, drop every
 * other box overlapping it by more than {@code iouThreshold}, repeat. A host implementation
 * because ND4J's NMS op pads its index output with zeros (index 0 repeated), which silently adds
 * the top box many times unless the output is truncated; with a few hundred candidates per image
 * the host loop costs well under a millisecond.
 */
public final class Nms {
    private Nms() {
    }

    /** Kept detections, best score first. Ties keep input order. */
    public static List<Detection> apply(List<Detection> detections, double iouThreshold) {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        boolean[] removed = new boolean[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            if (removed[i]) {
                continue;
            }
            Detection d = sorted.get(i);
            kept.add(d);
            for (int j = i + 1; j < sorted.size(); j++) {
                if (!removed[j] && d.box().iou(sorted.get(j).box()) > iouThreshold) {
                    removed[j] = true;
                }
            }
        }
        return kept;
    }

    /** Indices (into {@code boxes}) kept, best score first, at most {@code maxKeep}. */
    public static int[] indices(double[] corners, double[] scores, double iouThreshold, int maxKeep) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        boolean[] removed = new boolean[n];
        int[] keep = new int[Math.min(n, maxKeep)];
        int k = 0;
        for (int oi = 0; oi < n && k < keep.length; oi++) {
            int i = order[oi];
            if (removed[i]) {
                continue;
            }
            keep[k++] = i;
            double ax1 = corners[4 * i], ay1 = corners[4 * i + 1], ax2 = corners[4 * i + 2], ay2 = corners[4 * i + 3];
            double aa = (ax2 - ax1) * (ay2 - ay1);
            for (int oj = oi + 1; oj < n; oj++) {
                int j = order[oj];
                if (removed[j]) {
                    continue;
                }
                double w = Math.min(ax2, corners[4 * j + 2]) - Math.max(ax1, corners[4 * j]);
                double h = Math.min(ay2, corners[4 * j + 3]) - Math.max(ay1, corners[4 * j + 1]);
                if (w <= 0 || h <= 0) {
                    continue;
                }
                double inter = w * h;
                double union = aa + (corners[4 * j + 2] - corners[4 * j]) * (corners[4 * j + 3] - corners[4 * j + 1]) - inter;
                if (union > 0 && inter / union > iouThreshold) {
                    removed[j] = true;
                }
            }
        }
        return java.util.Arrays.copyOf(keep, k);
    }
}
