package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.BoxOps;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.RsnaMetric;
import org.pneumolab.notebook.ProgressBar;

/**
 * Scores every point of a {@link SweepGrid} on one split from cached raw detections, with
 * {@link RsnaMetric}'s per-image core (the same code {@code RsnaMetric.evaluate} and notebook 04
 * use), giving exactly what {@link PostProcess#apply} followed by {@code RsnaMetric.evaluate}
 * gives at each point, but without repeating work shared between points:
 * <ul>
 *   <li>each image's boxes are sorted by score once;</li>
 *   <li>greedy NMS keeps a box depending only on better-scored boxes, so NMS on the boxes above a
 *       threshold is a prefix of NMS on all of them: NMS runs once per (image, NMS IoU) and every
 *       threshold is a prefix length;</li>
 *   <li>the maximum box count only shortens that prefix, so an image's score depends on (NMS IoU,
 *       shrink, number of boxes kept) alone: those few scores are computed once per image and a
 *       grid point is a sum of table look-ups.</li>
 * </ul>
 * Images are processed in parallel, then grid points in parallel; sums run over images in split
 * order, so the numbers do not depend on the thread count.
 */
public final class Sweep {
    private Sweep() {
    }

    /**
     * The RSNA metric at every grid point. The split is the images of {@code raw} (images the
     * detector skipped are reported in {@code raw.skipped()} and not scored); each must have an
     * entry in {@code groundTruth} (an empty list for an image without opacity).
     */
    public static SweepResult run(RawDetections raw, Map<String, List<Box>> groundTruth, SweepGrid grid) {
        return run(raw, groundTruth, grid, true);
    }

    /** As {@link #run(RawDetections, Map, SweepGrid)}; {@code progress} false shows no bar (a sweep inside a larger one). */
    static SweepResult run(RawDetections raw, Map<String, List<Box>> groundTruth, SweepGrid grid, boolean progress) {
        List<String> ids = raw.imageIds();
        for (String id : ids) {
            if (!groundTruth.containsKey(id)) {
                throw new IllegalArgumentException("split " + raw.split() + ": image " + id
                        + " has no ground truth; a sweep needs a labelled split");
            }
        }
        int maxK = grid.maxBoxes()[grid.maxBoxes().length - 1];
        ImageTable[] tables = new ImageTable[ids.size()];
        ThreadLocal<RsnaMetric> metric = ThreadLocal.withInitial(RsnaMetric::new);
        String task = "sweep, " + raw.split() + " split: per-image tables";
        try (ProgressBar bar = progress ? ProgressBar.start(task, ids.size()) : ProgressBar.silent(task, ids.size())) {
            IntStream.range(0, ids.size()).parallel().forEach(i -> {
                String id = ids.get(i);
                tables[i] = ImageTable.build(raw.detections().get(id), groundTruth.get(id), grid, maxK, metric.get());
                bar.step();
            });
        }
        double[] t = grid.scoreThresholds();
        double[] n = grid.nmsIous();
        double[] s = grid.shrinks();
        int[] m = grid.maxBoxes();
        double[] scores = new double[grid.size()];
        IntStream.range(0, scores.length).parallel().forEach(p -> {
            int mi = p % m.length;
            int si = (p / m.length) % s.length;
            int ni = (p / (m.length * s.length)) % n.length;
            int ti = p / (m.length * s.length * n.length);
            double sum = 0;
            int count = 0;
            for (ImageTable table : tables) {
                double v = table.score(ti, ni, si, m[mi]);
                if (!Double.isNaN(v)) {
                    sum += v;
                    count++;
                }
            }
            scores[p] = count == 0 ? Double.NaN : sum / count;
        });
        List<SweepPoint> points = new ArrayList<>(scores.length);
        for (int p = 0; p < scores.length; p++) {
            int mi = p % m.length;
            int si = (p / m.length) % s.length;
            int ni = (p / (m.length * s.length)) % n.length;
            int ti = p / (m.length * s.length * n.length);
            points.add(new SweepPoint(grid.settings(ti, ni, si, mi), scores[p]));
        }
        return new SweepResult(raw.split(), ids.size(), grid, points);
    }

    /**
     * One image's look-up table: how many boxes survive each (NMS, threshold), and the image score
     * for each (NMS, shrink, number of best boxes kept).
     */
    private record ImageTable(int[][] kept, double[][][] score) {
        double score(int ti, int ni, int si, int maxBoxes) {
            return score[ni][si][Math.min(kept[ni][ti], maxBoxes)];
        }

        static ImageTable build(List<Detection> dets, List<Box> gt, SweepGrid grid, int maxK, RsnaMetric metric) {
            int nBoxes = dets.size();
            double[] c = new double[4 * nBoxes];
            double[] sc = new double[nBoxes];
            double[] raw = new double[nBoxes];
            for (int i = 0; i < nBoxes; i++) {
                raw[i] = dets.get(i).score();
            }
            // Stable, best first: the order PostProcess and Nms produce (ties keep input order).
            int[] order = BoxOps.orderByScore(raw, nBoxes);
            for (int r = 0; r < nBoxes; r++) {
                Detection d = dets.get(order[r]);
                c[4 * r] = d.box().x1();
                c[4 * r + 1] = d.box().y1();
                c[4 * r + 2] = d.box().x2();
                c[4 * r + 3] = d.box().y2();
                sc[r] = d.score();
            }
            float[] g = RsnaMetric.pack(gt);
            double[] thresholds = grid.scoreThresholds();
            double[] shrinks = grid.shrinks();
            int[][] kept = new int[grid.nmsIous().length][thresholds.length];
            double[][][] score = new double[grid.nmsIous().length][shrinks.length][];
            int[][] top = new int[grid.nmsIous().length][];
            for (int ni = 0; ni < grid.nmsIous().length; ni++) {
                // Boxes are already in score order, so BoxOps' stable sort keeps it; a threshold
                // of 1 or more keeps them all, as PostProcess skips NMS there.
                int[] keep = BoxOps.nms(c, sc, nBoxes, grid.nmsIous()[ni], nBoxes);
                for (int ti = 0; ti < thresholds.length; ti++) {
                    int k = 0;
                    while (k < keep.length && sc[keep[k]] >= thresholds[ti]) {
                        k++;
                    }
                    kept[ni][ti] = k;
                }
                int most = Math.min(keep.length, maxK);
                // Another NMS IoU often keeps the same best boxes (always, when they do not
                // overlap): their scores are the same, so they are computed once.
                int same = -1;
                for (int prev = 0; prev < ni && same < 0; prev++) {
                    if (Arrays.equals(top[prev], 0, top[prev].length, keep, 0, most)) {
                        same = prev;
                    }
                }
                top[ni] = Arrays.copyOf(keep, most);
                if (same >= 0) {
                    score[ni] = score[same];
                    continue;
                }
                for (int si = 0; si < shrinks.length; si++) {
                    float[] pred = shrunk(c, keep, most, shrinks[si]);
                    double[] byCount = new double[most + 1];
                    for (int k = 0; k <= most; k++) {
                        byCount[k] = metric.imageScore(g, gt.size(), pred, k);
                    }
                    score[ni][si] = byCount;
                }
            }
            return new ImageTable(kept, score);
        }
    }

    /**
     * The first {@code count} kept boxes, scaled about their centres, packed as floats for the
     * metric ({@link BoxOps#scaleAboutCentre}, as {@code Box.scaledAboutCentre}), and untouched at
     * factor 1 as in {@link PostProcess}.
     */
    private static float[] shrunk(double[] c, int[] keep, int count, double f) {
        float[] out = new float[4 * count];
        double[] box = new double[4];
        for (int r = 0; r < count; r++) {
            int i = keep[r];
            if (f != 1.0) {
                BoxOps.scaleAboutCentre(c, i, f, box, 0);
            } else {
                System.arraycopy(c, 4 * i, box, 0, 4);
            }
            for (int k = 0; k < 4; k++) {
                out[4 * r + k] = (float) box[k];
            }
        }
        return out;
    }
}
