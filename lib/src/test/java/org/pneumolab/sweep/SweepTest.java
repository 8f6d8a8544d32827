package org.pneumolab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

import tech.tablesaw.api.Table;

class SweepTest {
    private static final SweepGrid MIXED = new SweepGrid(new double[] {0.02, 0.1, 0.2, 0.35, 0.6},
            new double[] {0.0, 0.1, 0.3, 0.5, 1.0}, new double[] {0.7, 0.875, 1.0}, new int[] {1, 2, 4, 50});

    @Test
    void everyGridPointEqualsPostProcessThenRsnaMetric() {
        SyntheticRaw data = new SyntheticRaw("img", 300, 11);
        RawDetections raw = data.rawDetections("val");
        SweepResult result = Sweep.run(raw, data.groundTruth, MIXED);
        Random pick = new Random(5);
        List<SweepPoint> points = result.points();
        double lo = 1, hi = 0;
        for (int k = 0; k < 25; k++) {
            SweepPoint p = points.get(pick.nextInt(points.size()));
            double direct = SplitScorer.evaluate(raw, data.groundTruth, p.settings()).score();
            assertEquals(direct, p.score(), 1e-12, "at " + p.settings());
            lo = Math.min(lo, direct);
            hi = Math.max(hi, direct);
        }
        assertTrue(hi - lo > 0.05, "the sampled points should differ, not all score alike: " + lo + ".." + hi);
        SweepPoint best = result.best();
        assertEquals(SplitScorer.evaluate(raw, data.groundTruth, best.settings()).score(), best.score(), 1e-12);
        assertTrue(points.stream().allMatch(p -> p.score() <= best.score()));
    }

    @Test
    void sameCacheGivesSameResults(@TempDir Path dir) throws Exception {
        SyntheticRaw data = new SyntheticRaw("img", 200, 3);
        RawDetectionCache cache = new RawDetectionCache(dir, msg -> { });
        RunIdentity run = RunIdentity.of("retinanet", "{\"depth\":50}", "epoch-12");
        RawDetections first = cache.get(run, data.split("val"), data.detector());
        RawDetections second = cache.get(run, data.split("val"), id -> {
            throw new AssertionError("detector must not run again");
        });
        SweepResult a = Sweep.run(first, data.groundTruth, SweepGrid.standard());
        SweepResult b = Sweep.run(second, data.groundTruth, SweepGrid.standard());
        assertEquals(a, b);
        assertEquals(1000, a.points().size());
        Table ta = a.table();
        assertEquals(1000, ta.rowCount());
        assertEquals(ta.toString(), b.table().toString());
        assertTrue(ta.columnNames().contains("rsna_metric_val"), "metric column names the split");
    }

    @Test
    void lowerThresholdRecoversALowScoreTrueBox() {
        Box truth = new Box(100, 100, 300, 400);
        Map<String, List<Box>> gt = Map.of("a", List.of(truth));
        RawDetections raw = raw("val", Map.of("a", List.of(new Detection(truth, 0.1))));
        SweepResult r = Sweep.run(raw, gt, grid(new double[] {0.05, 0.2}, new double[] {0.5}, new double[] {1.0}));
        assertEquals(1.0, score(r, 0.05, 0.5, 1.0), 1e-12);
        assertEquals(0.0, score(r, 0.2, 0.5, 1.0), 1e-12);
        assertEquals(0.05, r.best().scoreThreshold());
    }

    @Test
    void nmsZeroRemovesAnyOverlappingDuplicate() {
        Box truth = new Box(100, 100, 300, 300);
        Box duplicate = new Box(250, 250, 450, 450); // IoU with truth 2500/77500, about 0.03
        Map<String, List<Box>> gt = Map.of("a", List.of(truth));
        RawDetections raw = raw("val", Map.of("a", List.of(new Detection(duplicate, 0.8), new Detection(truth, 0.9))));
        SweepResult r = Sweep.run(raw, gt, grid(new double[] {0.1}, new double[] {0.0, 0.5}, new double[] {1.0}));
        assertEquals(1.0, score(r, 0.1, 0.0, 1.0), 1e-12, "NMS 0 drops the overlapping duplicate");
        assertEquals(0.5, score(r, 0.1, 0.5, 1.0), 1e-12, "NMS 0.5 keeps it: 1 TP, 1 FP");
    }

    @Test
    void shrinkingTowardsASmallerTruthBoxRaisesTheScore() {
        Box truth = Box.fromCentre(500, 500, 100, 100);
        Box predicted = Box.fromCentre(500, 500, 125, 125); // IoU 0.64: a hit at 0.40..0.60 only
        Map<String, List<Box>> gt = Map.of("a", List.of(truth));
        RawDetections raw = raw("val", Map.of("a", List.of(new Detection(predicted, 0.9))));
        SweepResult r = Sweep.run(raw, gt, grid(new double[] {0.1}, new double[] {0.5}, new double[] {0.8, 1.0}));
        assertEquals(5.0 / 8, score(r, 0.1, 0.5, 1.0), 1e-12);
        assertEquals(1.0, score(r, 0.1, 0.5, 0.8), 1e-12);
        assertEquals(0.8, r.best().shrink());
    }

    @Test
    void maxBoxesKeepsOnlyTheBestBoxes() {
        Box truth = new Box(0, 0, 100, 100);
        Map<String, List<Box>> gt = Map.of("a", List.of(truth));
        RawDetections raw = raw("val", Map.of("a", List.of(new Detection(truth, 0.9),
                new Detection(new Box(500, 500, 600, 600), 0.8))));
        SweepResult r = Sweep.run(raw, gt, new SweepGrid(new double[] {0.1}, new double[] {0.5}, new double[] {1.0},
                new int[] {1, 2}));
        assertEquals(1.0, r.at(new PostProcess(0.1, 0.5, 1, 1.0)).orElseThrow().score(), 1e-12);
        assertEquals(0.5, r.at(new PostProcess(0.1, 0.5, 2, 1.0)).orElseThrow().score(), 1e-12);
    }

    @Test
    void alongALeverHoldsTheOthersAtTheBest() {
        SyntheticRaw data = new SyntheticRaw("img", 150, 8);
        SweepResult r = Sweep.run(data.rawDetections("val"), data.groundTruth, MIXED);
        SweepPoint best = r.best();
        List<SweepPoint> line = r.along(Lever.SCORE_THRESHOLD);
        assertEquals(MIXED.scoreThresholds().length, line.size());
        assertTrue(line.contains(best));
        for (SweepPoint p : line) {
            assertEquals(best.nmsIou(), p.nmsIou());
            assertEquals(best.shrink(), p.shrink());
            assertEquals(best.maxBoxes(), p.maxBoxes());
        }
        double[][] heat = r.thresholdByNms(best.shrink(), best.maxBoxes());
        int ni = java.util.Arrays.binarySearch(MIXED.nmsIous(), best.nmsIou());
        int ti = java.util.Arrays.binarySearch(MIXED.scoreThresholds(), best.scoreThreshold());
        assertEquals(best.score(), heat[ni][ti]);
    }

    @Test
    void imagesWithoutGroundTruthAreRejectedWithTheirName() {
        RawDetections raw = raw("val", Map.of("unlabelled-7", List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sweep.run(raw, Map.of(), SweepGrid.standard()));
        assertTrue(e.getMessage().contains("unlabelled-7") && e.getMessage().contains("val"), e.getMessage());
    }

    @Test
    void chooseOnValidationReportOnHeldOut() {
        // Validation: the true box scores 0.5 and a false positive 0.3, so a high threshold wins.
        // Held-out: the true box scores only 0.2, so a high threshold misses it. A choice made on
        // held-out would pick 0.1; the report must pick 0.4 and show the drop on held-out.
        Box truth = new Box(100, 100, 300, 300);
        Box elsewhere = new Box(600, 600, 700, 700);
        Map<String, List<Box>> gt = new LinkedHashMap<>();
        Map<String, List<Detection>> val = new LinkedHashMap<>();
        Map<String, List<Detection>> held = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            gt.put("v" + i, List.of(truth));
            val.put("v" + i, List.of(new Detection(truth, 0.5), new Detection(elsewhere, 0.3)));
            gt.put("h" + i, List.of(truth));
            held.put("h" + i, List.of(new Detection(truth, 0.2)));
        }
        SweepGrid g = grid(new double[] {0.1, 0.4}, new double[] {0.0, 0.5}, new double[] {0.875, 1.0});
        SweepReport report = SweepReport.chooseOnValidation(raw("val", val), raw("heldout", held), gt, g);
        SettingsComparison chosen = report.chosen();
        assertEquals(0.4, chosen.settings().scoreThreshold());
        assertEquals(Sweep.run(raw("val", val), gt, g).best().settings(), chosen.settings());
        assertNotEquals(Sweep.run(raw("heldout", held), gt, g).best().scoreThreshold(),
                chosen.settings().scoreThreshold());
        assertEquals("val", chosen.validation().split());
        assertEquals("heldout", chosen.heldOut().split());
        assertEquals(report.sweep().best().score(), chosen.validation().score(), 1e-12);
        assertEquals(1.0, chosen.validation().score(), 1e-12);
        assertEquals(0.0, chosen.heldOut().score(), 1e-12);
        assertEquals(1.0, chosen.gap(), 1e-12);
        assertEquals(List.of(SweepReport.PUBLISHED, SweepReport.BASELINE),
                report.rows().subList(1, 3).stream().map(SettingsComparison::settings).toList());
        assertEquals(3, report.table().rowCount());
        assertTrue(report.table().columnNames().contains("rsna_metric_heldout"));
    }

    @Test
    void overlappingSplitsAreRefused() {
        Map<String, List<Box>> gt = Map.of("a", List.of(), "b", List.of());
        RawDetections val = raw("val", Map.of("a", List.of(), "b", List.of()));
        RawDetections held = raw("heldout", Map.of("b", List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SweepReport.chooseOnValidation(val, held, gt, SweepGrid.standard()));
        assertTrue(e.getMessage().contains("both"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SweepReport.chooseOnValidation(val, raw("val", Map.of()), gt, SweepGrid.standard()));
    }

    private static SweepGrid grid(double[] t, double[] n, double[] s) {
        return new SweepGrid(t, n, s, new int[] {10});
    }

    private static double score(SweepResult r, double t, double n, double s) {
        return r.at(new PostProcess(t, n, 10, s)).orElseThrow().score();
    }

    private static RawDetections raw(String split, Map<String, List<Detection>> dets) {
        return new RawDetections(split, new LinkedHashMap<>(dets), new ArrayList<>());
    }
}
