package org.pneumolab.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.BoxOps;
import org.pneumolab.geom.Detection;

/**
 * The RSNA Pneumonia Detection Challenge metric, plus AP at IoU 0.5 and false positives per
 * image by detailed class.
 *
 * <p><b>Per image</b>, for each IoU threshold t in 0.40, 0.45, ..., 0.75: predictions are taken
 * in order of confidence, highest first; each is matched to the not yet matched ground-truth box
 * with the highest IoU (first such box on ties) and is a hit when that IoU is strictly greater
 * than t, otherwise a false positive. Unmatched ground truth are false negatives, and the
 * image's score at t is TP / (TP + FP + FN). The image score is the mean over the 8 thresholds;
 * an image with no ground truth and no prediction is left out, one with no ground truth but some
 * predictions scores 0. <b>The metric</b> is the mean over the images not left out.
 *
 * <p>The per-image core works on packed {@code float} corner boxes ({@code x1,y1,x2,y2} per box)
 * with scratch arrays kept in the instance, so a post-processing sweep (thousands of settings
 * over thousands of images) allocates nothing per image. An instance is therefore not
 * thread-safe: use one per thread.
 */
public final class RsnaMetric {
    /** Written out, not accumulated, so that 0.45 is exactly the double nearest to 0.45. */
    public static final double[] THRESHOLDS = {0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75};
    /** IoU threshold of {@link RsnaResult#ap50()} and of the false-positive counts (strictly above). */
    public static final double AP_IOU = 0.5;

    private double[] iou = new double[64];
    private boolean[] taken = new boolean[16];

    /**
     * Score of one image; NaN when it is left out (neither ground truth nor prediction).
     *
     * @param gt    ground-truth corner boxes, packed {@code x1,y1,x2,y2}; the first {@code nGt} are used
     * @param pred  predicted corner boxes, packed likewise, <b>already sorted by confidence, highest first</b>
     */
    public double imageScore(float[] gt, int nGt, float[] pred, int nPred) {
        if (nGt == 0 && nPred == 0) {
            return Double.NaN;
        }
        if (nGt == 0 || nPred == 0) {
            return 0; // only false positives, or only misses, at every threshold
        }
        fillIou(gt, nGt, pred, nPred);
        double sum = 0;
        for (double t : THRESHOLDS) {
            int tp = matchCount(nGt, nPred, t, null);
            sum += (double) tp / (nGt + nPred - tp); // TP / (TP + FP + FN)
        }
        return sum / THRESHOLDS.length;
    }

    /** Score of one image from boxes; predictions in any order (sorted here by confidence). */
    public double imageScore(List<Box> gt, List<Detection> predictions) {
        return imageScore(pack(gt), gt.size(), pack(byConfidence(predictions)), predictions.size());
    }

    /** Mean image score over images {@code i} (left-out images skipped); NaN when all are left out. */
    public double score(float[][] gt, int[] nGt, float[][] pred, int[] nPred) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < gt.length; i++) {
            double s = imageScore(gt[i], nGt[i], pred[i], nPred[i]);
            if (!Double.isNaN(s)) {
                sum += s;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Greedy matching at IoU threshold {@code t} on the IoUs in scratch; returns TP and, if
     * {@code hit} is given, marks which predictions were hits.
     */
    private int matchCount(int nGt, int nPred, double t, boolean[] hit) {
        for (int g = 0; g < nGt; g++) {
            taken[g] = false;
        }
        int tp = 0;
        for (int p = 0; p < nPred; p++) {
            int best = -1;
            double bestIou = Double.NEGATIVE_INFINITY;
            int row = p * nGt;
            for (int g = 0; g < nGt; g++) {
                if (!taken[g] && iou[row + g] > bestIou) {
                    bestIou = iou[row + g];
                    best = g;
                }
            }
            boolean isHit = best >= 0 && bestIou > t;
            if (isHit) {
                taken[best] = true;
                tp++;
            }
            if (hit != null) {
                hit[p] = isHit;
            }
        }
        return tp;
    }

    private void fillIou(float[] gt, int nGt, float[] pred, int nPred) {
        if (iou.length < nGt * nPred) {
            iou = new double[Math.max(nGt * nPred, 2 * iou.length)];
        }
        if (taken.length < nGt) {
            taken = new boolean[Math.max(nGt, 2 * taken.length)];
        }
        // Row p holds prediction p against every ground-truth box; float corners are widened to
        // double before any arithmetic, as Box.iou computes on the same boxes.
        BoxOps.iouMatrix(pred, nPred, gt, nGt, iou);
    }

    /** Corner boxes packed {@code x1,y1,x2,y2} into a float array. */
    public static float[] pack(List<Box> boxes) {
        float[] out = new float[4 * boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            out[4 * i] = (float) b.x1();
            out[4 * i + 1] = (float) b.y1();
            out[4 * i + 2] = (float) b.x2();
            out[4 * i + 3] = (float) b.y2();
        }
        return out;
    }

    /** Boxes of detections by confidence, highest first (stable on ties). */
    public static List<Box> byConfidence(List<Detection> detections) {
        return detections.stream().sorted(Comparator.comparingDouble(Detection::score).reversed())
                .map(Detection::box).toList();
    }

    /**
     * The metric over a data split. Images are those of {@code groundTruth} (an image with no
     * boxes maps to an empty list); an image missing from {@code predictions} has no
     * predictions; predictions for images without ground truth are counted, not scored.
     *
     * @param classes detailed class per image (e.g. "Lung Opacity"), or an empty map
     */
    public static RsnaResult evaluate(String split, Map<String, List<Box>> groundTruth,
            Map<String, List<Detection>> predictions, Map<String, String> classes) {
        RsnaMetric metric = new RsnaMetric();
        double sum = 0;
        int scored = 0;
        int leftOut = 0;
        int totalGt = 0;
        List<double[]> pooled = new ArrayList<>(); // {score, hit 1/0}
        Map<String, int[]> byClass = new TreeMap<>(); // class -> {images, false positives}
        for (Map.Entry<String, List<Box>> e : groundTruth.entrySet()) {
            List<Box> gt = e.getValue();
            List<Detection> preds = byConfidenceDetections(predictions.getOrDefault(e.getKey(), List.of()));
            float[] g = pack(gt);
            float[] p = pack(preds.stream().map(Detection::box).toList());
            double s = metric.imageScore(g, gt.size(), p, preds.size());
            if (Double.isNaN(s)) {
                leftOut++;
            } else {
                sum += s;
                scored++;
            }
            totalGt += gt.size();
            boolean[] hit = metric.hitsAt(g, gt.size(), p, preds.size(), AP_IOU);
            int fp = 0;
            for (int k = 0; k < preds.size(); k++) {
                pooled.add(new double[] {preds.get(k).score(), hit[k] ? 1 : 0});
                fp += hit[k] ? 0 : 1;
            }
            String cls = classes.get(e.getKey());
            if (cls != null) {
                int[] c = byClass.computeIfAbsent(cls, k -> new int[2]);
                c[0]++;
                c[1] += fp;
            }
        }
        Map<String, ClassFalsePositives> fpByClass = new LinkedHashMap<>();
        byClass.forEach((k, v) -> fpByClass.put(k, new ClassFalsePositives(k, v[0], v[1])));
        long unlabelled = predictions.keySet().stream().filter(id -> !groundTruth.containsKey(id)).count();
        return new RsnaResult(split, scored == 0 ? Double.NaN : sum / scored, scored, leftOut,
                averagePrecision(pooled, totalGt), fpByClass, (int) unlabelled);
    }

    private static List<Detection> byConfidenceDetections(List<Detection> detections) {
        return detections.stream().sorted(Comparator.comparingDouble(Detection::score).reversed()).toList();
    }

    /** Which predictions (sorted by confidence) are hits at IoU > t under the same matching. */
    boolean[] hitsAt(float[] gt, int nGt, float[] pred, int nPred, double t) {
        boolean[] hit = new boolean[nPred];
        if (nGt > 0 && nPred > 0) {
            fillIou(gt, nGt, pred, nPred);
            matchCount(nGt, nPred, t, hit);
        }
        return hit;
    }

    /**
     * Dataset-level average precision, all-point interpolation (PASCAL VOC 2010 and later):
     * predictions of all images pooled and sorted by confidence, precision made monotone
     * (each precision replaced by the highest precision at any larger recall), then the area
     * under that step curve, summed at every recall change. NaN when there is no ground truth.
     */
    static double averagePrecision(List<double[]> scoredHits, int totalGt) {
        if (totalGt == 0) {
            return Double.NaN;
        }
        List<double[]> sorted = new ArrayList<>(scoredHits);
        sorted.sort(Comparator.comparingDouble((double[] a) -> a[0]).reversed());
        int n = sorted.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            tp += (int) sorted.get(i)[1];
            recall[i] = (double) tp / totalGt;
            precision[i] = (double) tp / (i + 1);
        }
        return areaUnderEnvelope(recall, precision);
    }

    /**
     * The AP kernel shared with {@link DetectionBootstrap}: given recall and precision at each rank
     * of the confidence order, makes precision monotone (each replaced by the highest at any larger
     * recall, in place) and sums the area of that step curve at every recall change.
     */
    static double areaUnderEnvelope(double[] recall, double[] precision) {
        int n = recall.length;
        for (int i = n - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0;
        double prevRecall = 0;
        for (int i = 0; i < n; i++) {
            if (recall[i] > prevRecall) {
                ap += (recall[i] - prevRecall) * precision[i];
                prevRecall = recall[i];
            }
        }
        return ap;
    }
}
