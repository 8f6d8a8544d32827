package org.pneumolab.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;
import org.pneumolab.sweep.EnsembleGrid;
import org.pneumolab.sweep.EnsembleSweep;
import org.pneumolab.sweep.RawDetections;
import org.pneumolab.sweep.Source;
import org.pneumolab.sweep.Sweep;
import org.pneumolab.sweep.SweepGrid;

/**
 * The post-processing sweep of notebook 04: {@link SweepGrid#standard()} (1,000 settings) over
 * synthetic raw detections, timed per complete {@link Sweep#run}.
 */
final class SweepWork {
    final RawDetections raw;
    final Map<String, List<Box>> groundTruth;

    private SweepWork(RawDetections raw, Map<String, List<Box>> groundTruth) {
        this.raw = raw;
        this.groundTruth = groundTruth;
    }

    /**
     * Seeded RSNA-like images: about a third with 1-3 opacities, each seen by the "detector" as a
     * few jittered, slightly too large boxes, topped up with low-score false positives to 5-30 raw
     * boxes per image.
     */
    static SweepWork synthetic(int images, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<Box>> gt = new LinkedHashMap<>();
        Map<String, List<Detection>> raw = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            String id = "sweep-" + i;
            List<Box> truth = new ArrayList<>();
            if (rnd.nextDouble() < 0.35) {
                int n = 1 + (rnd.nextDouble() < 0.3 ? 1 : 0) + (rnd.nextDouble() < 0.05 ? 1 : 0);
                for (int k = 0; k < n; k++) {
                    truth.add(Box.fromXywh((k % 2 == 0 ? 120 : 560) + 150 * rnd.nextDouble(), 150 + 300 * rnd.nextDouble(),
                            120 + 200 * rnd.nextDouble(), 150 + 300 * rnd.nextDouble()));
                }
            }
            int total = 5 + rnd.nextInt(26);
            List<Detection> dets = new ArrayList<>();
            for (Box b : truth) {
                double base = 0.15 + 0.8 * rnd.nextDouble();
                for (int c = 0, copies = 1 + rnd.nextInt(4); c < copies && dets.size() < total; c++) {
                    double scale = Math.max(0.6, 1.15 + 0.1 * rnd.nextGaussian());
                    Box d = Box.fromCentre(b.centreX() + 0.06 * b.width() * rnd.nextGaussian(),
                            b.centreY() + 0.06 * b.height() * rnd.nextGaussian(), b.width() * scale, b.height() * scale);
                    dets.add(new Detection(d, clamp(base - 0.12 * c + 0.03 * rnd.nextGaussian())));
                }
            }
            while (dets.size() < total) {
                Box d = Box.fromXywh(900 * rnd.nextDouble(), 900 * rnd.nextDouble(), 60 + 250 * rnd.nextDouble(),
                        60 + 300 * rnd.nextDouble());
                dets.add(new Detection(d, clamp(0.35 * Math.pow(rnd.nextDouble(), 2))));
            }
            Collections.shuffle(dets, rnd);
            gt.put(id, List.copyOf(truth));
            raw.put(id, dets);
        }
        return new SweepWork(new RawDetections("synthetic", raw, List.of()), gt);
    }

    /**
     * The ensemble sweep's input: this detector ("A") and a second one ("B") that sees the same
     * images with its own errors (every box jittered by 5% of its size, scores perturbed), each
     * also on the mirrored images (jittered again), all seeded: two sources with flip TTA.
     */
    List<Source> twoSourcesWithFlip(long seed) {
        RawDetections b = jittered(raw, seed + 1);
        return List.of(new Source("A", raw, jittered(raw, seed + 2)), new Source("B", b, jittered(b, seed + 3)));
    }

    private static RawDetections jittered(RawDetections raw, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        raw.detections().forEach((id, dets) -> {
            List<Detection> list = new ArrayList<>(dets.size());
            for (Detection d : dets) {
                Box b = d.box();
                list.add(new Detection(Box.fromCentre(b.centreX() + 0.05 * b.width() * rnd.nextGaussian(),
                        b.centreY() + 0.05 * b.height() * rnd.nextGaussian(), b.width() * (1 + 0.05 * rnd.nextGaussian()),
                        b.height() * (1 + 0.05 * rnd.nextGaussian())), clamp(d.score() + 0.08 * rnd.nextGaussian())));
            }
            out.put(id, list);
        });
        return new RawDetections(raw.split(), out, List.of());
    }

    /** Complete ensemble sweeps per second: every ensemble fused and its post-processing grid swept. */
    double runEnsemble(List<Source> sources, EnsembleGrid grid) {
        long t = System.nanoTime();
        EnsembleSweep.run(sources, groundTruth, grid);
        return Workloads.perSecond(1, t);
    }

    /** Sweeps per second (the table shows seconds per sweep). */
    double run() {
        long t = System.nanoTime();
        Sweep.run(raw, groundTruth, SweepGrid.standard());
        return Workloads.perSecond(1, t);
    }

    private static double clamp(double s) {
        return Math.max(0.001, Math.min(0.999, s));
    }
}
