package org.pneumolab.rehearse;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
