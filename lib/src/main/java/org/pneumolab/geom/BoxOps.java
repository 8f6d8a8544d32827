package org.pneumolab.geom;

import java.util.Arrays;

/**
 * The box arithmetic every part of the lab shares, on flat corner arrays: box {@code i} is
 * {@code x1, y1, x2, y2} at {@code [4*i .. 4*i+3]}. {@link Box}, the detectors' NMS and anchor
 * matching, the RSNA metric and the post-processing sweep all call these, so an IoU, an NMS or a
 * shrink means one thing everywhere (the metric and the sweep must agree with what
 * {@code PostProcess} does to the last bit, since the sweep's chosen settings are re-scored that
 * way).
 *
 * <p>All arithmetic is in {@code double}. {@code float} arrays (the metric packs its boxes as
 * floats to stay small in a sweep) are widened value by value before any arithmetic, which is what
 * the metric always did, so its scores are unchanged.
 */
public final class BoxOps {
    private BoxOps() {
    }

    /**
     * Intersection over union of two corner boxes; 0 when they do not overlap (touching edges
     * included) and when the union is empty. The union is {@code areaA + areaB - intersection},
     * in that order.
     */
    public static double iou(double ax1, double ay1, double ax2, double ay2,
                             double bx1, double by1, double bx2, double by2) {
        double inter = intersection(ax1, ay1, ax2, ay2, bx1, by1, bx2, by2);
        if (inter == 0) {
            return 0;
        }
        double union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** Area of the overlap of two corner boxes, 0 when they do not overlap. */
    public static double intersection(double ax1, double ay1, double ax2, double ay2,
                                      double bx1, double by1, double bx2, double by2) {
        double w = Math.min(ax2, bx2) - Math.max(ax1, bx1);
        double h = Math.min(ay2, by2) - Math.max(ay1, by1);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /** IoU of box {@code i} of {@code a} and box {@code j} of {@code b}. */
    public static double iou(double[] a, int i, double[] b, int j) {
        return iou(a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3],
                b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3]);
    }

    /** IoU of box {@code i} of {@code a} and box {@code j} of {@code b}, widened to double first. */
    public static double iou(float[] a, int i, float[] b, int j) {
        return iou(a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3],
                b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3]);
    }

    /**
     * IoU of the first {@code na} boxes of {@code a} against the first {@code nb} of {@code b},
     * row-major into {@code out[i * nb + j]}; {@code out} must hold {@code na * nb} values.
     */
    public static void iouMatrix(double[] a, int na, double[] b, int nb, double[] out) {
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                out[i * nb + j] = iou(a, i, b, j);
            }
        }
    }

    /** As {@link #iouMatrix(double[], int, double[], int, double[])} on float boxes. */
    public static void iouMatrix(float[] a, int na, float[] b, int nb, double[] out) {
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                out[i * nb + j] = iou(a, i, b, j);
            }
        }
    }

    /**
     * Positions {@code 0..n-1} by score, highest first; ties keep their input order (a stable
     * sort), which is what makes NMS, the metric and the sweep agree on tied scores.
     */
    public static int[] orderByScore(double[] scores, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /**
     * Class-agnostic greedy non-maximum suppression: take boxes by score, highest first (ties in
     * input order); keep a box unless its IoU with an already kept box is above
     * {@code iouThreshold}; stop after {@code maxKeep}. Returns the kept indices into
     * {@code corners}/{@code scores}, best first. A threshold of 1 or more keeps every box, in score
     * order, without computing an IoU: that is what "no NMS" means in {@code PostProcess} and the
     * sweep (an IoU above 1 could only come from rounding).
     */
    public static int[] nms(double[] corners, double[] scores, int n, double iouThreshold, int maxKeep) {
        int[] order = orderByScore(scores, n);
        int limit = Math.min(n, Math.max(0, maxKeep));
        if (iouThreshold >= 1) {
            return Arrays.copyOf(order, limit);
        }
        boolean[] removed = new boolean[n];
        int[] keep = new int[limit];
        int k = 0;
        for (int oi = 0; oi < n && k < limit; oi++) {
            int i = order[oi];
            if (removed[i]) {
                continue;
            }
            keep[k++] = i;
            for (int oj = oi + 1; oj < n; oj++) {
                int j = order[oj];
                if (!removed[j] && iou(corners, i, corners, j) > iouThreshold) {
                    removed[j] = true;
                }
            }
        }
        return Arrays.copyOf(keep, k);
    }

    /**
     * Box {@code i} of {@code src} scaled by {@code factor} about its centre, written as box
     * {@code j} of {@code dst}. Factor 0.875 is the RSNA winners' shrink: their predicted boxes
     * were systematically larger than the radiologists'. Note that even factor 1 can move a corner
     * by an ulp (centre minus half width); callers that want "no shrink" skip the call, as
     * {@code PostProcess} and the sweep do.
     */
    public static void scaleAboutCentre(double[] src, int i, double factor, double[] dst, int j) {
        if (!(factor >= 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("scale factor must be finite and >= 0: " + factor);
        }
        double x1 = src[4 * i], y1 = src[4 * i + 1], x2 = src[4 * i + 2], y2 = src[4 * i + 3];
        double cx = (x1 + x2) / 2;
        double cy = (y1 + y2) / 2;
        double w = (x2 - x1) * factor;
        double h = (y2 - y1) * factor;
        dst[4 * j] = cx - w / 2;
        dst[4 * j + 1] = cy - h / 2;
        dst[4 * j + 2] = cx + w / 2;
        dst[4 * j + 3] = cy + h / 2;
    }
}
