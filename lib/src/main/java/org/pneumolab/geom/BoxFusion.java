package org.pneumolab.geom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merging one image's detections from several sources (several detectors, or one detector on
 * the image and on its mirror image) into one list, the way the RSNA winners ensembled.
 *
 * <p><b>Weighted box fusion</b> (WBF; Solovyev, Wang and Gabruseva 2019, "Weighted boxes fusion:
 * ensembling boxes from different object detection models"): instead of keeping the best of a
 * group of overlapping boxes and dropping the rest, as NMS does, the group is averaged.
 * <ol>
 *   <li>Every box scoring at least {@code skipBoxThreshold} is taken, with its score times its
 *       source's weight, all sources together, highest weighted score first (ties: earlier source,
 *       then earlier box of that source, so the result never depends on a sort's whims).</li>
 *   <li>Each box joins the cluster whose <em>fused</em> box it overlaps most, if that IoU is above
 *       {@code iouThreshold} (ties: the older cluster); otherwise it starts a cluster. The fused
 *       box is recomputed after every join.</li>
 *   <li>A cluster's fused box is the mean of its boxes' corners weighted by their weighted scores
 *       (for equal weights: the score-weighted mean corners).</li>
 *   <li>Its score is the weighted mean score of its boxes, rescaled by the share of the total
 *       weight of the sources that found it: {@code (sum w*s / sum w) * min(W_found, W) / W}. For
 *       equal weights and one box per source this is the paper's (and {@code ensemble_boxes}')
 *       {@code conf_type='avg'} rescaling {@code mean * min(T, N) / T}: a box that only one of two
 *       sources found keeps half its score. Where one source put two boxes into a cluster, the
 *       paper's N counts both and so rewards a source for repeating itself; here a source counts
 *       once, as the issue describes the rescaling ("by the number of sources that found a box").</li>
 * </ol>
 * With one box per source in a cluster the score is simply {@code sum(w*s) / W}, so it never exceeds
 * 1 for scores in [0, 1].
 *
 * <p><b>NMS over the union</b> is the simple alternative: all sources' boxes in one list, greedy
 * NMS ({@link BoxOps#nms}) keeps the best of each overlapping group unchanged.
 */
public final class BoxFusion {
    private BoxFusion() {
    }

    /** WBF with every source weighted 1. */
    public static List<Detection> weighted(List<List<Detection>> sources, double iouThreshold, double skipBoxThreshold) {
        double[] w = new double[sources.size()];
        Arrays.fill(w, 1.0);
        return weighted(sources, w, iouThreshold, skipBoxThreshold);
    }

    /**
     * Weighted box fusion (see the class comment).
     *
     * @param sources          per source, its detections of one image (any order)
     * @param weights          one positive weight per source
     * @param iouThreshold     a box joins a cluster when its IoU with the fused box is above this, in [0, 1]
     * @param skipBoxThreshold boxes scoring below this are ignored, in [0, 1]
     * @return fused detections, best score first (ties: the cluster started first)
     */
    public static List<Detection> weighted(List<List<Detection>> sources, double[] weights, double iouThreshold,
            double skipBoxThreshold) {
        if (weights.length != sources.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + sources.size() + " sources");
        }
        if (sources.size() > 64) {
            throw new IllegalArgumentException("weighted box fusion of " + sources.size() + " sources: at most 64");
        }
        double totalWeight = 0;
        for (double w : weights) {
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("source weights must be finite and > 0: " + Arrays.toString(weights));
            }
            totalWeight += w;
        }
        checkUnit(iouThreshold, "IoU threshold");
        checkUnit(skipBoxThreshold, "skip-box threshold");

        int n = 0;
        for (List<Detection> s : sources) {
            n += s.size();
        }
        // The boxes taken, flat: corners, weighted score, weight, source.
        double[] corners = new double[4 * n];
        double[] weighted = new double[n];
        int[] source = new int[n];
        int m = 0;
        for (int s = 0; s < sources.size(); s++) {
            for (Detection d : sources.get(s)) {
                if (d.score() < skipBoxThreshold) {
                    continue;
                }
                Box b = d.box();
                corners[4 * m] = b.x1();
                corners[4 * m + 1] = b.y1();
                corners[4 * m + 2] = b.x2();
                corners[4 * m + 3] = b.y2();
                weighted[m] = d.score() * weights[s];
                source[m] = s;
                m++;
            }
        }
        // Stable: equal weighted scores keep source order, then input order.
        int[] order = BoxOps.orderByScore(weighted, m);

        // Clusters, flat: fused corners, sums of weighted score, weight and weighted-score x corner,
        // plain corner sums and counts (for a cluster whose weighted scores are all 0), sources seen.
        double[] fused = new double[4 * m];
        double[] sumWs = new double[m];
        double[] sumW = new double[m];
        double[] sumWsCorner = new double[4 * m];
        double[] sumCorner = new double[4 * m];
        int[] count = new int[m];
        long[] found = new long[m];
        int k = 0;
        for (int r = 0; r < m; r++) {
            int i = order[r];
            int best = -1;
            double bestIou = iouThreshold;
            for (int c = 0; c < k; c++) {
                double iou = BoxOps.iou(corners, i, fused, c);
                if (iou > bestIou) {
                    bestIou = iou;
                    best = c;
                }
            }
            int c = best >= 0 ? best : k++;
            double ws = weighted[i];
            sumWs[c] += ws;
            sumW[c] += weights[source[i]];
            count[c]++;
            found[c] |= 1L << source[i];
            for (int q = 0; q < 4; q++) {
                sumWsCorner[4 * c + q] += ws * corners[4 * i + q];
                sumCorner[4 * c + q] += corners[4 * i + q];
            }
            for (int q = 0; q < 4; q++) {
                fused[4 * c + q] = sumWs[c] > 0 ? sumWsCorner[4 * c + q] / sumWs[c] : sumCorner[4 * c + q] / count[c];
            }
        }

        double[] score = new double[k];
        for (int c = 0; c < k; c++) {
            double foundWeight = 0;
            for (int s = 0; s < sources.size(); s++) {
                if ((found[c] & (1L << s)) != 0) {
                    foundWeight += weights[s];
                }
            }
            score[c] = sumWs[c] / sumW[c] * Math.min(foundWeight, totalWeight) / totalWeight;
        }
        int[] byScore = BoxOps.orderByScore(score, k);
        List<Detection> out = new ArrayList<>(k);
        for (int c : byScore) {
            // A weighted mean of ordered corners is ordered, up to rounding; never let an ulp flip it.
            double x1 = fused[4 * c], y1 = fused[4 * c + 1];
            double x2 = Math.max(x1, fused[4 * c + 2]), y2 = Math.max(y1, fused[4 * c + 3]);
            out.add(new Detection(new Box(x1, y1, x2, y2), score[c]));
        }
        return out;
    }

    /**
     * Greedy NMS over all sources' boxes together: the union in source order, then
     * {@link BoxOps#nms} at {@code iouThreshold} (1 or more keeps every box). Kept boxes are
     * unchanged, best score first, ties in source then input order.
     */
    public static List<Detection> nmsOverUnion(List<List<Detection>> sources, double iouThreshold) {
        if (!(iouThreshold >= 0)) {
            throw new IllegalArgumentException("NMS IoU threshold must be >= 0: " + iouThreshold);
        }
        List<Detection> all = union(sources);
        int n = all.size();
        double[] corners = Box.pack(all.stream().map(Detection::box).toList());
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = all.get(i).score();
        }
        int[] keep = BoxOps.nms(corners, scores, n, iouThreshold, n);
        List<Detection> out = new ArrayList<>(keep.length);
        for (int i : keep) {
            out.add(all.get(i));
        }
        return out;
    }

    /** All sources' detections in one list, in source order then input order. */
    public static List<Detection> union(List<List<Detection>> sources) {
        List<Detection> all = new ArrayList<>();
        for (List<Detection> s : sources) {
            all.addAll(s);
        }
        return all;
    }

    private static void checkUnit(double v, String what) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1]: " + v);
        }
    }
}
