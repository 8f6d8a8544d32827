package org.pneumolab.sweep;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * Ad-hoc timing, not part of the suite (the name does not end in Test): run with
 * {@code -Dtest=SweepBenchmark}. The standard 1,000-point grid over 1,000 synthetic images with
 * 5-30 raw boxes each; prints wall time per run, asserts nothing about speed.
 */
class SweepBenchmark {
    @Test
    void standardGridOverAThousandImages() {
        SyntheticRaw data = new SyntheticRaw("bench", 1000, 42);
        RawDetections raw = data.rawDetections("val");
        System.out.printf(Locale.ROOT, "images %d, raw boxes %d, grid points %d, cores %d%n", raw.detections().size(),
                raw.totalBoxes(), SweepGrid.standard().size(), Runtime.getRuntime().availableProcessors());
        for (int rep = 0; rep < 6; rep++) {
            long t0 = System.nanoTime();
            SweepResult r = Sweep.run(raw, data.groundTruth, SweepGrid.standard());
            long t1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "run %d: %.1f ms  best %s = %.4f%n", rep, (t1 - t0) / 1e6,
                    r.best().settings(), r.best().score());
        }
        long t0 = System.nanoTime();
        int n = 20;
        SweepResult r = Sweep.run(raw, data.groundTruth, SweepGrid.standard());
        for (int k = 0; k < n; k++) {
            SplitScorer.evaluate(raw, data.groundTruth, r.points().get(k * 37).settings());
        }
        System.out.printf(Locale.ROOT, "direct PostProcess.apply + RsnaMetric.evaluate: %.1f ms per grid point%n",
                (System.nanoTime() - t0) / 1e6 / n);
    }
}
