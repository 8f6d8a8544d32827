package org.pneumolab.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

/**
 * Bootstrap intervals for detection metrics, resampling <b>images</b> (the unit a detector is
 * scored on; boxes of one image are not independent): the RSNA metric, AP50, false positives per
 * image and per negative image (no true box). The replicates are drawn once from the seed, so
 * every prediction set scored by one instance sees the same resampled image sets: a difference
 * between two models, or two post-processing settings, on the same images is a <i>paired</i>
 * bootstrap, which is much tighter than comparing two separate intervals.
 *
 * <p>Each replicate is a multiplicity per image; per-image quantities (image score, false
 * positives, hits at IoU 0.5) are computed once per prediction set, so a replicate is a weighted
 * sum, and AP50 a weighted pass over the pooled predictions, sorted once. With every multiplicity
 * 1 the numbers are exactly {@link RsnaMetric#evaluate}'s.
 */
public final class DetectionBootstrap {
    public static final String RSNA = "RSNA metric";
    public static final String AP50 = "AP50";
    public static final String FP_PER_IMAGE = "false positives per image";
    public static final String FP_PER_NEGATIVE = "false positives per negative image";
    /** The metrics in table order; false positives are "lower is better". */
    public static final List<String> METRICS = List.of(RSNA, AP50, FP_PER_IMAGE, FP_PER_NEGATIVE);

    private final String split;
    private final List<String> ids;
    private final List<List<Box>> truth;
    private final Bootstrap bootstrap;
    /** Multiplicity of image i in replicate b: {@code weights[b][i]}. */
    private final int[][] weights;

    private DetectionBootstrap(String split, List<String> ids, List<List<Box>> truth, Bootstrap bootstrap) {
        this.split = split;
        this.ids = ids;
        this.truth = truth;
        this.bootstrap = bootstrap;
        int n = ids.size();
        weights = new int[bootstrap.resamples()][n];
        SplittableRandom rng = new SplittableRandom(bootstrap.seed());
        for (int[] w : weights) {
            for (int i = 0; i < n; i++) {
                w[rng.nextInt(n)]++;
            }
        }
    }

    /**
     * The images of {@code groundTruth} (in its order; an image without boxes maps to an empty
     * list), resampled {@code bootstrap.resamples()} times from {@code bootstrap.seed()}.
     */
    public static DetectionBootstrap over(String split, Map<String, List<Box>> groundTruth, Bootstrap bootstrap) {
        if (split == null || split.isBlank()) {
            throw new IllegalArgumentException("name the data split the metrics are computed on");
        }
        if (groundTruth.isEmpty()) {
            throw new IllegalArgumentException("split " + split + ": no images to score");
        }
        return new DetectionBootstrap(split, List.copyOf(groundTruth.keySet()),
                groundTruth.values().stream().map(List::copyOf).toList(), bootstrap);
    }

    public String split() {
        return split;
    }

    public int images() {
        return ids.size();
    }

    public Bootstrap bootstrap() {
        return bootstrap;
    }

    /** "95% bootstrap over images, B=1000, seed 7". */
    public String method(boolean paired) {
        return String.format(Locale.ROOT, "%.0f%% %sbootstrap over images, B=%d, seed %d", bootstrap.level() * 100,
                paired ? "paired " : "", bootstrap.resamples(), bootstrap.seed());
    }

    /** Every metric of {@link #METRICS} with its interval. Images missing from {@code predictions} have none. */
    public DetectionEstimates estimate(Map<String, List<Detection>> predictions) {
        Scored s = score(predictions);
        Map<String, Estimate> out = new LinkedHashMap<>();
        for (String m : METRICS) {
            double[] ci = bootstrap.interval(s.replicates.get(m));
            out.put(m, new Estimate(s.point.get(m), ci[0], ci[1]));
        }
        return new DetectionEstimates(split, images(), s.negatives, out, method(false));
    }

    /**
     * A minus B for every metric of {@link #METRICS}, each a paired interval over the same
     * resampled images, with its generated verdict.
     */
    public Map<String, Verdict> compare(String nameA, Map<String, List<Detection>> a, String nameB,
            Map<String, List<Detection>> b) {
        Scored sa = score(a);
        Scored sb = score(b);
        Map<String, Verdict> out = new LinkedHashMap<>();
        for (String m : METRICS) {
            double[] ra = sa.replicates.get(m);
            double[] rb = sb.replicates.get(m);
            double[] diff = new double[ra.length];
            for (int k = 0; k < diff.length; k++) {
                diff[k] = ra[k] - rb[k];
            }
            double[] ci = bootstrap.interval(diff);
            Estimate d = new Estimate(sa.point.get(m) - sb.point.get(m), ci[0], ci[1]);
            out.put(m, new Verdict(nameA, nameB, m, higherIsBetter(m), d, split, images(), method(true)));
        }
        return out;
    }

    public static boolean higherIsBetter(String metric) {
        return metric.equals(RSNA) || metric.equals(AP50);
    }

    private record Scored(Map<String, Double> point, Map<String, double[]> replicates, int negatives) {
    }

    private Scored score(Map<String, List<Detection>> predictions) {
        int n = ids.size();
        RsnaMetric metric = new RsnaMetric();
        double[] imageScore = new double[n];
        int[] fp = new int[n];
        int[] nGt = new int[n];
        boolean[] negative = new boolean[n];
        List<double[]> pooled = new ArrayList<>(); // {score, hit, image}
        int negatives = 0;
        for (int i = 0; i < n; i++) {
            List<Box> gt = truth.get(i);
            List<Detection> preds = predictions.getOrDefault(ids.get(i), List.of()).stream()
                    .sorted(Comparator.comparingDouble(Detection::score).reversed()).toList();
            float[] g = RsnaMetric.pack(gt);
            float[] p = RsnaMetric.pack(preds.stream().map(Detection::box).toList());
            imageScore[i] = metric.imageScore(g, gt.size(), p, preds.size());
            boolean[] hit = metric.hitsAt(g, gt.size(), p, preds.size(), RsnaMetric.AP_IOU);
            for (int k = 0; k < preds.size(); k++) {
                pooled.add(new double[] {preds.get(k).score(), hit[k] ? 1 : 0, i});
                fp[i] += hit[k] ? 0 : 1;
            }
            nGt[i] = gt.size();
            negative[i] = gt.isEmpty();
            negatives += negative[i] ? 1 : 0;
        }
        pooled.sort(Comparator.comparingDouble((double[] x) -> x[0]).reversed()); // stable, as RsnaMetric's
        int[] poolImage = pooled.stream().mapToInt(x -> (int) x[2]).toArray();
        boolean[] poolHit = new boolean[pooled.size()];
        for (int k = 0; k < poolHit.length; k++) {
            poolHit[k] = pooled.get(k)[1] == 1;
        }
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        Map<String, Double> point = new LinkedHashMap<>();
        double[] p = metrics(ones, imageScore, fp, nGt, negative, poolImage, poolHit);
        Map<String, double[]> reps = new LinkedHashMap<>();
        for (int m = 0; m < METRICS.size(); m++) {
            point.put(METRICS.get(m), p[m]);
            reps.put(METRICS.get(m), new double[weights.length]);
        }
        for (int b = 0; b < weights.length; b++) {
            double[] r = metrics(weights[b], imageScore, fp, nGt, negative, poolImage, poolHit);
            for (int m = 0; m < METRICS.size(); m++) {
                reps.get(METRICS.get(m))[b] = r[m];
            }
        }
        return new Scored(point, reps, negatives);
    }

    /** The four metrics for images weighted by {@code w}. */
    private static double[] metrics(int[] w, double[] imageScore, int[] fp, int[] nGt, boolean[] negative,
            int[] poolImage, boolean[] poolHit) {
        double scoreSum = 0;
        double scored = 0;
        double fpSum = 0;
        double all = 0;
        double fpNeg = 0;
        double neg = 0;
        double gtTotal = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            if (!Double.isNaN(imageScore[i])) {
                scoreSum += w[i] * imageScore[i];
                scored += w[i];
            }
            fpSum += w[i] * fp[i];
            all += w[i];
            if (negative[i]) {
                fpNeg += w[i] * fp[i];
                neg += w[i];
            }
            gtTotal += w[i] * nGt[i];
        }
        return new double[] {
            scored == 0 ? Double.NaN : scoreSum / scored,
            weightedAp(w, poolImage, poolHit, gtTotal),
            all == 0 ? Double.NaN : fpSum / all,
            neg == 0 ? Double.NaN : fpNeg / neg};
    }

    /**
     * {@link RsnaMetric#averagePrecision} on the resampled data set: an image drawn w times
     * contributes each of its predictions w times, adjacent in the confidence order.
     */
    static double weightedAp(int[] w, int[] poolImage, boolean[] poolHit, double gtTotal) {
        if (gtTotal == 0) {
            return Double.NaN;
        }
        int m = 0;
        for (int img : poolImage) {
            m += w[img];
        }
        double[] recall = new double[m];
        double[] precision = new double[m];
        int k = 0;
        double tp = 0;
        for (int j = 0; j < poolImage.length; j++) {
            int copies = w[poolImage[j]];
            for (int c = 0; c < copies; c++) {
                tp += poolHit[j] ? 1 : 0;
                recall[k] = tp / gtTotal;
                precision[k] = tp / (k + 1);
                k++;
            }
        }
        return RsnaMetric.areaUnderEnvelope(recall, precision);
    }
}
