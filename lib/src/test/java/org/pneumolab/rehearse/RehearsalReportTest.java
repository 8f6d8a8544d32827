package org.pneumolab.rehearse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pneumolab.detect.study.Contender;
import org.pneumolab.weights.WeightsChoice;

/**
 * The rehearsal's extrapolation counts only stages that did their work in this run: a stage that
 * resumed (its work found done by an earlier, interrupted run) measured almost nothing, and its
 * per-unit time would make the full run look nearly free. Its row says so and the total leaves it out.
 */
class RehearsalReportTest {

    private static StageMeter.Measured took(double seconds) {
        return new StageMeter.Measured(seconds, seconds, 100L << 20, true, 50L << 20, 40L << 20, 10L << 20);
    }

    @Test
    void resumedStagesAreLeftOutOfTheExtrapolation() {
        var o = new Rehearsal.Options(0.01, 2, 4, 1, Path.of("/tmp/r"), false, List.of(Contender.RETINANET),
                WeightsChoice.RANDOM);
        // 18 s for 10 images, 1,000 in a full run: 1,800 s = 0.5 h
        var measured = new Rehearsal.Stage("decode", "images", 10, 1000, took(18), "written");
        // found done: 0.2 s for 100 steps, 1,000,000 in a full run would add 0.6 h if it counted
        var resumed = new Rehearsal.Stage("train", "steps", 100, 1_000_000, took(0.2), "finished run reused (resumed)");
        String md = RehearsalReport.markdown(o, List.of(measured, resumed), "load 0");
        assertTrue(md.contains("| train | resumed, not measured |"), md);
        assertTrue(md.contains("| decode | 1.800 s/image |"), md);
        assertTrue(md.contains("| **total** | | | | **0.5** |"), md);
        // Both rows stay in the stage table, with what they did.
        assertTrue(md.contains("| train | 100 steps | 0.2 |") && md.contains("finished run reused (resumed)"), md);
    }

    @Test
    void theKermanyPartShowsEachStagesRateBesideItsKernels() {
        var o = new Rehearsal.Options(0.05, 2, 4, 1, Path.of("/tmp/r"), true, List.of(), WeightsChoice.RANDOM,
                Rehearsal.Part.KERMANY);
        // 40 images in 20 s: 2 images/s; the kernel alone did 8: the stage runs at a quarter of it
        var featurize = new Rehearsal.Stage("featurize", "images", 40, 5856, took(20), "written",
                new KernelProbe.Rate(8, 0.2, "folded forward, batch 32, images"));
        var scan = new Rehearsal.Stage("scan", "files", 40, 5856, took(0.5), "read");
        String md = RehearsalReport.markdown(o, List.of(featurize, scan), "load 0");
        assertTrue(md.contains("Kermany part only (--part kermany)"), md);
        assertTrue(md.contains("| featurize | 40 images | 20.0 | 20.0 | 2.00 images/s | 8.00 images/s (folded forward, batch 32, images);"
                + " stage at 0.25x; stage CPU per unit 2.50x the kernel's |"), md);
        assertTrue(md.contains("| scan | 40 files | 0.5 | 0.5 | 80.0 files/s | - |"), md);
    }

    @Test
    void theKermanyPartNeedsTheClassificationAndAKnownPart() {
        assertThrows(IllegalArgumentException.class, () -> new Rehearsal.Options(0.05, 2, 4, 1, Path.of("/tmp/r"), false,
                List.of(), WeightsChoice.RANDOM, Rehearsal.Part.KERMANY));
        assertThrows(IllegalArgumentException.class, () -> Rehearsal.Part.of("detection"));
        assertEquals(Rehearsal.Part.KERMANY, Rehearsal.Part.of("kermany"));
        // the detection part still needs RetinaNet (its sweep and submission)
        assertThrows(IllegalArgumentException.class, () -> new Rehearsal.Options(0.05, 2, 4, 1, Path.of("/tmp/r"), true,
                List.of(), WeightsChoice.RANDOM, Rehearsal.Part.ALL));
    }

    @Test
    void theKermanyPartsReportSaysWhatItIsAndItsTotal() {
        var featurize = new Rehearsal.Stage("featurize", "images", 40, 5856, took(20), "written");
        var scan = new Rehearsal.Stage("scan", "files", 40, 5856, took(0.5), "read");
        for (double scale : new double[] {0.05, 1.0}) {
            var o = new Rehearsal.Options(scale, 2, 4, 1, Path.of("/tmp/r"), true, List.of(), WeightsChoice.RANDOM,
                    Rehearsal.Part.KERMANY);
            String md = RehearsalReport.markdown(o, List.of(featurize, scan), "load 0");
            assertTrue(md.contains("The Kermany study at scale " + scale + " (" + o.kermany()
                    + " generated images), measured: total wall time 20.5 s (20.5 s, the stages above added up)."), md);
            assertFalse(md.contains("full paper run"), md);
            assertFalse(md.contains("GPU") || md.contains("RetinaNet"), md);
            // below full size the same study extrapolated to Kermany's size; at full size there is nothing to extrapolate
            assertEquals(scale < 1, md.contains("Extrapolated Kermany study at full size (5,856 images)"), md);
        }
        // the capped rehearsal keeps its full-run extrapolation
        var all = new Rehearsal.Options(0.05, 2, 4, 1, Path.of("/tmp/r"), true, List.of(Contender.RETINANET),
                WeightsChoice.RANDOM, Rehearsal.Part.ALL);
        assertTrue(RehearsalReport.markdown(all, List.of(featurize, scan), "load 0").contains("Extrapolated full paper run"));
    }

    @Test
    void theKermanyPartRefusesTheDetectionPartsOptions() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Rehearsal.Options(1.5, 2, 4, 1, Path.of("/tmp/r"), true,
                List.of(), WeightsChoice.RANDOM, Rehearsal.Part.KERMANY));
        assertEquals("--scale must be in (0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Rehearsal.Options(0.5, 2, 4, 1, Path.of("/tmp/r"), true,
                List.of(Contender.RETINANET), WeightsChoice.RANDOM, Rehearsal.Part.KERMANY));
        assertTrue(e.getMessage().contains("--part kermany trains no detector"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Rehearsal.Options.requireOptionsOf(Rehearsal.Part.KERMANY, java.util.Set.of("scale", "steps", "detectors")));
        assertTrue(e.getMessage().startsWith("--steps, --detectors cap or choose the detection part; --part kermany"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Rehearsal.Options.requireOptionsOf(Rehearsal.Part.KERMANY, java.util.Set.of("eval-images")));
        assertTrue(e.getMessage().startsWith("--eval-images caps or chooses"), e.getMessage());
        // the Kermany part's own options, and the detection part's options for the whole rehearsal, pass
        Rehearsal.Options.requireOptionsOf(Rehearsal.Part.KERMANY, java.util.Set.of("scale", "seed", "out", "weights", "part"));
        Rehearsal.Options.requireOptionsOf(Rehearsal.Part.ALL, java.util.Set.of("steps", "eval-images", "detectors"));
    }
}
