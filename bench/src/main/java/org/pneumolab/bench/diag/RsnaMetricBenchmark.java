package org.pneumolab.bench.diag;

import java.util.Locale;
import java.util.SplittableRandom;

import org.pneumolab.metrics.RsnaMetric;

/**
 * Ad-hoc benchmark (a main, not a test) of the per-image core as a post-processing sweep uses
 * it: S settings x N images, each image with 0-3 truth boxes and 0-6 predictions, all packed
 * once. Run: see this package's package-info.
 */
public final class RsnaMetricBenchmark {
    public static void main(String[] args) {
        int settings = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        SplittableRandom rng = new SplittableRandom(1);
        // one prediction set per setting would not fit a benchmark's memory budget; 16 variants
        // of predictions are cycled instead, which keeps the work per image the same
        int variants = 16;
        float[][] gt = new float[images][];
        int[] nGt = new int[images];
        float[][][] pred = new float[variants][images][];
        int[][] nPred = new int[variants][images];
        for (int i = 0; i < images; i++) {
            nGt[i] = rng.nextInt(10) < 7 ? 0 : 1 + rng.nextInt(3); // ~70% negatives, as RSNA
            gt[i] = boxes(rng, nGt[i]);
            for (int v = 0; v < variants; v++) {
                nPred[v][i] = rng.nextInt(7);
                pred[v][i] = jitter(rng, gt[i], nGt[i], nPred[v][i]);
            }
        }
        RsnaMetric metric = new RsnaMetric();
        double sink = 0;
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int round = 0; round < 3; round++) {
            long bytes0 = threads.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            for (int s = 0; s < settings; s++) {
                int v = s % variants;
                sink += metric.score(gt, nGt, pred[v], nPred[v]);
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            long allocated = threads.getThreadAllocatedBytes(tid) - bytes0;
            System.out.printf(Locale.ROOT, "round %d: %d settings x %d images in %.3f s (%.0f ns per image), %d bytes allocated%n",
                    round, settings, images, sec, sec * 1e9 / ((double) settings * images), allocated);
        }
        System.out.println("checksum " + sink);
    }

    private static float[] boxes(SplittableRandom rng, int n) {
        float[] b = new float[4 * n];
        for (int k = 0; k < n; k++) {
            float x = (float) rng.nextDouble(0, 700);
            float y = (float) rng.nextDouble(0, 600);
            b[4 * k] = x;
            b[4 * k + 1] = y;
            b[4 * k + 2] = x + (float) rng.nextDouble(80, 300);
            b[4 * k + 3] = y + (float) rng.nextDouble(100, 400);
        }
        return b;
    }

    /** Predictions near the truth boxes (so matching does real work), the rest random. */
    private static float[] jitter(SplittableRandom rng, float[] gt, int nGt, int n) {
        float[] b = boxes(rng, n);
        for (int k = 0; k < n && nGt > 0; k++) {
            if (rng.nextBoolean()) {
                int g = rng.nextInt(nGt);
                for (int c = 0; c < 4; c++) {
                    b[4 * k + c] = gt[4 * g + c] + (float) rng.nextDouble(-30, 30);
                }
                b[4 * k + 2] = Math.max(b[4 * k + 2], b[4 * k] + 1);
                b[4 * k + 3] = Math.max(b[4 * k + 3], b[4 * k + 1] + 1);
            }
        }
        return b;
    }
}
