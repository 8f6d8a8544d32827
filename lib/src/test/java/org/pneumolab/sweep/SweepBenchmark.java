package org.pneumolab.sweep;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;

import org.junit.jupiter.api.Test;

import org.pneumolab.geom.Box;

/**
 * Ad-hoc timing, not part of the suite (the name does not end in Test): run with
 * {@code -Dtest=SweepBenchmark}. The standard 1,000-point grid over 1,000 synthetic images with
 * 5-30 raw boxes each; prints wall time per run, asserts nothing about speed.
 */
class SweepBenchmark {
    @Test
    void standardGridOverAThousandImages() throws Exception {
        SyntheticRaw data = new SyntheticRaw("val", 1000, 42);
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

        // Choose on a synthetic validation split, report on a disjoint synthetic held-out split,
        // and keep the pictures for a look (target/sweep-benchmark).
        SyntheticRaw held = new SyntheticRaw("held", 1000, 43);
        Map<String, List<Box>> gt = new HashMap<>(data.groundTruth);
        gt.putAll(held.groundTruth);
        SweepReport report = SweepReport.chooseOnValidation(raw, held.rawDetections("heldout"), gt,
                SweepGrid.standard());
        System.out.println(report);
        Path dir = Files.createDirectories(Path.of("target/sweep-benchmark"));
        ImageIO.write(new SweepHeatmap(report.sweep(), SweepReport.PUBLISHED).toImage(), "png",
                dir.resolve("heatmap.png").toFile().getAbsoluteFile());
        for (Lever l : Lever.values()) {
            BitmapEncoder.saveBitmap(SweepCharts.lever(report.sweep(), l, SweepReport.PUBLISHED),
                    dir.resolve("lever_" + l.name().toLowerCase()).toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        BufferedImage grey = new BufferedImage(1024, 1024, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(BeforeAfter.of(List.of("val-0", "val-2", "val-5"), id -> grey, raw, gt, "no post-processing",
                SweepReport.BASELINE, "chosen", report.chosen().settings(), 320).toImage(), "png",
                dir.resolve("before_after.png").toFile());
    }
}
