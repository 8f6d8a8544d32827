package org.pneumolab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.pneumolab.detect.PostProcess;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.BoxFusion;
import org.pneumolab.geom.Detection;
import org.pneumolab.metrics.Verdict;

/** The ensemble levers in front of the post-processing sweep, and choosing on validation. */
class EnsembleSweepTest {
    private static final SweepGrid SMALL = new SweepGrid(new double[] {0.05, 0.2, 0.4}, new double[] {0.1, 0.4},
            new double[] {0.875, 1.0}, new int[] {1, 3});

    /** A second detector's (or the mirrored image's) view of the same images: boxes jittered, scores perturbed. */
    static RawDetections jittered(RawDetections raw, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        raw.detections().forEach((id, dets) -> {
            List<Detection> list = new ArrayList<>();
            for (Detection d : dets) {
                Box b = d.box();
                double dx = 0.05 * b.width() * rnd.nextGaussian();
                double dy = 0.05 * b.height() * rnd.nextGaussian();
                list.add(new Detection(Box.fromCentre(b.centreX() + dx, b.centreY() + dy, b.width() * (1 + 0.05 * rnd.nextGaussian()),
                        b.height()), Math.max(0.001, Math.min(0.999, d.score() + 0.08 * rnd.nextGaussian()))));
            }
            out.put(id, list);
        });
        return new RawDetections(raw.split(), out, List.of());
    }

    private record Data(List<Source> val, List<Source> held, Map<String, List<Box>> truth) {
    }

    private static Data data() {
        SyntheticRaw v = new SyntheticRaw("v", 80, 1);
        SyntheticRaw h = new SyntheticRaw("h", 80, 2);
        Map<String, List<Box>> truth = new LinkedHashMap<>(v.groundTruth);
        truth.putAll(h.groundTruth);
        return new Data(sources(v.rawDetections("val")), sources(h.rawDetections("held-out")), truth);
    }

    private static List<Source> sources(RawDetections a) {
        RawDetections b = jittered(a, 11);
        return List.of(new Source("A", a, jittered(a, 21)), new Source("B", b, jittered(b, 31)));
    }

    @Test
    void theGridHasTheSingleModelsAndEveryFusionOfSeveralViews() {
        Data d = data();
        EnsembleGrid grid = EnsembleGrid.standard(d.val(), SMALL);
        List<Ensemble> es = grid.ensembles();
        assertEquals(Ensemble.single("A"), es.get(0));
        // A: single, flip x (NMS + 5 WBF); B the same; A+B: (no flip, flip) x (NMS + 5 WBF)
        assertEquals(2 * (1 + 6) + 2 * 6, es.size());
        assertTrue(es.contains(Ensemble.wbf(List.of("A", "B"), true, 0.55)));
        assertTrue(es.contains(Ensemble.nms(List.of("A"), true)));
        // without mirrored detections there is no flip lever
        List<Source> plainOnly = d.val().stream().map(s -> Source.of(s.name(), s.plain())).toList();
        assertTrue(EnsembleGrid.standard(plainOnly, SMALL).ensembles().stream().noneMatch(Ensemble::flip));
        assertThrows(IllegalArgumentException.class, () -> new Ensemble(List.of("A"), false, Ensemble.Fusion.WBF, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Ensemble(List.of("A", "B"), false, Ensemble.Fusion.NONE,
                Double.NaN));
    }

    @Test
    void theLeversApplyAfterFusionExactlyAsPostProcessWould() {
        Data d = data();
        EnsembleGrid grid = EnsembleGrid.standard(d.val(), SMALL);
        EnsembleSweep sweep = EnsembleSweep.run(d.val(), d.truth(), grid);
        Map<String, Source> byName = EnsembleSweep.byName(d.val());
        for (Ensemble e : List.of(Ensemble.single("B"), Ensemble.wbf(List.of("A", "B"), true, 0.55),
                Ensemble.nms(List.of("A", "B"), false))) {
            RawDetections fused = e.fuse(byName, grid.skipBoxThreshold());
            SweepResult r = sweep.entry(e).sweep();
            for (SweepPoint p : List.of(r.points().get(0), r.points().get(17), r.best())) {
                assertEquals(SplitScorer.evaluate(fused, d.truth(), p.settings()).score(), p.score(), 1e-12,
                        e + " at " + p.settings());
            }
        }
        // the single model is the plain sweep of its raw detections
        assertEquals(Sweep.run(d.val().get(0).plain(), d.truth(), SMALL).points(),
                sweep.entry(Ensemble.single("A")).sweep().points());
        // the best point over all ensembles
        double max = sweep.entries().stream().mapToDouble(x -> x.sweep().best().score()).max().orElseThrow();
        assertEquals(max, sweep.best().point().score());
        assertTrue(sweep.bestSingle().ensemble().isSingleModel());
    }

    @Test
    void nmsFusionIsNmsOverTheUnionAtTheLeversIou() {
        Data d = data();
        Source a = d.val().get(0);
        Source b = d.val().get(1);
        RawDetections union = Ensemble.nms(List.of("A", "B"), true).fuse(EnsembleSweep.byName(d.val()), 0.02);
        for (String id : a.plain().imageIds()) {
            List<List<Detection>> views = List.of(a.plain().detections().get(id), a.mirrored().detections().get(id),
                    b.plain().detections().get(id), b.mirrored().detections().get(id));
            for (double nms : new double[] {0.1, 0.4}) {
                PostProcess lever = new PostProcess(0.05, nms, 3, 0.875);
                assertEquals(new PostProcess(0.05, 1.0, 3, 0.875).apply(BoxFusion.nmsOverUnion(views, nms)),
                        lever.apply(union.detections().get(id)), id);
            }
        }
    }

    @Test
    void choosesOnValidationAndComparesOnHeldOutPaired() {
        Data d = data();
        EnsembleGrid grid = EnsembleGrid.standard(d.val(), SMALL);
        EnsembleReport r = EnsembleReport.chooseOnValidation(d.val(), d.held(), d.truth(), grid, 7);
        // chosen, A alone, B alone, the best single under the case study's settings (and the best
        // fusing ensemble when a single model was chosen)
        boolean chosenFuses = !r.chosen().ensemble().isSingleModel();
        assertEquals(chosenFuses ? 4 : 5, r.rows().size());
        assertEquals(r.sweep().bestFused().orElseThrow().ensemble(), r.bestFused().orElseThrow().ensemble());
        assertEquals(r.sweep().best().ensemble(), r.chosen().ensemble());
        assertEquals(r.sweep().best().point().score(), r.chosen().validation().score(), 1e-12);
        assertEquals(SweepReport.PUBLISHED, r.published().settings());
        assertEquals(r.sweep().bestSingle().ensemble(), r.bestSingle().ensemble());
        for (EnsembleReport.Row row : r.rows()) {
            assertEquals("held-out", row.heldOut().split());
            assertEquals(80, row.heldOut().images());
            assertTrue(row.heldOut().rsna().lo() <= row.heldOut().rsna().value()
                    && row.heldOut().rsna().value() <= row.heldOut().rsna().hi(), row.name());
        }
        List<Verdict> v = r.verdicts();
        assertEquals(chosenFuses ? 2 : 3, v.size());
        assertEquals(r.chosen().heldOut().rsna().value() - r.bestSingle().heldOut().rsna().value(),
                v.get(0).difference().value(), 1e-12);
        assertEquals(r.chosen().heldOut().rsna().value() - r.published().heldOut().rsna().value(),
                v.get(1).difference().value(), 1e-12);
        assertTrue(r.lesson().contains("held-out RSNA metric"), r.lesson());
        assertEquals(r.rows().size(), r.intervals().rowCount());
        // same seed, same numbers
        EnsembleReport again = EnsembleReport.chooseOnValidation(d.val(), d.held(), d.truth(), grid, 7);
        assertEquals(r.toString(), again.toString());
        assertEquals(r.sentences(), again.sentences());
        double[][] heat = r.sweep().wbfIouByThreshold(List.of("A", "B"), true);
        assertEquals(EnsembleGrid.STANDARD_WBF_IOUS.length, heat.length);
        assertEquals(SMALL.scoreThresholds().length, heat[0].length);
    }

    @Test
    void whenASingleModelWinsTheBestFusingEnsembleStillGetsAHeldOutRowAndAVerdict() {
        // B and the mirrored views are noise: fusing with them can only hurt, so A alone is chosen.
        SyntheticRaw v = new SyntheticRaw("v", 60, 4);
        SyntheticRaw h = new SyntheticRaw("h", 60, 5);
        Map<String, List<Box>> truth = new LinkedHashMap<>(v.groundTruth);
        truth.putAll(h.groundTruth);
        List<Source> val = noisy(v.rawDetections("val"));
        List<Source> held = noisy(h.rawDetections("held-out"));
        EnsembleReport r = EnsembleReport.chooseOnValidation(val, held, truth, EnsembleGrid.standard(val, SMALL), 7);
        assertEquals(Ensemble.single("A"), r.chosen().ensemble());
        assertEquals(5, r.rows().size());
        EnsembleReport.Row fused = r.bestFused().orElseThrow();
        assertEquals(4, r.bestFusedRow());
        assertTrue(!fused.ensemble().isSingleModel());
        assertEquals(r.sweep().bestFused().orElseThrow().ensemble(), fused.ensemble());
        List<Verdict> verdicts = r.verdicts();
        assertEquals(3, verdicts.size());
        assertEquals(fused.heldOut().rsna().value() - r.bestSingle().heldOut().rsna().value(),
                verdicts.get(2).difference().value(), 1e-12);
        assertTrue(r.lesson().contains("best fusing ensemble"), r.lesson());
    }

    private static List<Source> noisy(RawDetections a) {
        return List.of(new Source("A", a, noise(a, 3)), new Source("B", noise(a, 4), noise(a, 5)));
    }

    private static RawDetections noise(RawDetections like, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        for (String id : like.imageIds()) {
            List<Detection> list = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                list.add(new Detection(Box.fromXywh(900 * rnd.nextDouble(), 900 * rnd.nextDouble(), 50 + 200 * rnd.nextDouble(),
                        50 + 200 * rnd.nextDouble()), rnd.nextDouble()));
            }
            out.put(id, list);
        }
        return new RawDetections(like.split(), out, List.of());
    }

    @Test
    void validationAndHeldOutMustNotShareImages() {
        Data d = data();
        List<Source> sameImages = d.val().stream()
                .map(s -> new Source(s.name(), new RawDetections("held-out", s.plain().detections(), List.of()), null))
                .toList();
        List<Source> val = d.val().stream().map(s -> Source.of(s.name(), s.plain())).toList();
        assertThrows(IllegalArgumentException.class, () -> EnsembleReport.chooseOnValidation(val, sameImages, d.truth(),
                EnsembleGrid.standard(val, SMALL), 7));
    }
}
