package org.pneumolab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

/**
 * Seeded synthetic RSNA-like ground truth and raw detections: about a third of the images have
 * 1-3 opacity boxes; a detector that sees each true box as several jittered boxes about 15%
 * larger than the radiologist's (the bias that makes shrinking pay), plus scattered low-score
 * false positives; 5-30 raw boxes per image.
 */
final class SyntheticRaw {
    final Map<String, List<Box>> groundTruth = new LinkedHashMap<>();
    final Map<String, List<Detection>> raw = new LinkedHashMap<>();

    SyntheticRaw(String prefix, int images, long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < images; i++) {
            String id = prefix + "-" + i;
            List<Box> gt = new ArrayList<>();
            if (rnd.nextDouble() < 0.35) {
                int n = 1 + (rnd.nextDouble() < 0.3 ? 1 : 0) + (rnd.nextDouble() < 0.05 ? 1 : 0);
                for (int k = 0; k < n; k++) {
                    double w = 120 + 200 * rnd.nextDouble();
                    double h = 150 + 300 * rnd.nextDouble();
                    double x = (k % 2 == 0 ? 120 : 560) + 150 * rnd.nextDouble();
                    double y = 150 + 300 * rnd.nextDouble();
                    gt.add(Box.fromXywh(x, y, w, h));
                }
            }
            int total = 5 + rnd.nextInt(26);
            List<Detection> dets = new ArrayList<>();
            for (Box b : gt) {
                int copies = 1 + rnd.nextInt(4);
                double base = 0.15 + 0.8 * rnd.nextDouble();
                for (int c = 0; c < copies && dets.size() < total; c++) {
                    double scale = 1.15 + 0.1 * rnd.nextGaussian();
                    double cx = b.centreX() + 0.06 * b.width() * rnd.nextGaussian();
                    double cy = b.centreY() + 0.06 * b.height() * rnd.nextGaussian();
                    Box d = Box.fromCentre(cx, cy, b.width() * Math.max(0.6, scale), b.height() * Math.max(0.6, scale));
                    dets.add(new Detection(d, clamp(base - 0.12 * c + 0.03 * rnd.nextGaussian())));
                }
            }
            while (dets.size() < total) {
                double w = 60 + 250 * rnd.nextDouble();
                double h = 60 + 300 * rnd.nextDouble();
                Box d = Box.fromXywh(900 * rnd.nextDouble(), 900 * rnd.nextDouble(), w, h);
                dets.add(new Detection(d, clamp(0.35 * Math.pow(rnd.nextDouble(), 2))));
            }
            java.util.Collections.shuffle(dets, rnd);
            groundTruth.put(id, List.copyOf(gt));
            raw.put(id, List.copyOf(dets));
        }
    }

    private static double clamp(double s) {
        return Math.max(0.001, Math.min(0.999, s));
    }

    RawDetections rawDetections(String split) {
        return new RawDetections(split, raw, List.of());
    }

    SplitIds split(String name) {
        return new SplitIds(name, List.copyOf(raw.keySet()));
    }

    RawDetector detector() {
        return id -> raw.get(id);
    }
}
