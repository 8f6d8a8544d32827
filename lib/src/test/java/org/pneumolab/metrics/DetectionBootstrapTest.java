package org.pneumolab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class DetectionBootstrapTest {

    /** {@code n} images, about a third with one or two boxes; predictions near the truth, with some noise boxes. */
    static Map<String, List<Box>> truth(int n, long seed) {
        Random r = new Random(seed);
        Map<String, List<Box>> gt = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            List<Box> boxes = new ArrayList<>();
            if (r.nextDouble() < 0.35) {
                int k = 1 + r.nextInt(2);
                for (int j = 0; j < k; j++) {
                    double x = 100 + 500 * j + r.nextInt(200);
                    double y = 100 + r.nextInt(400);
                    boxes.add(Box.fromXywh(x, y, 150 + r.nextInt(100), 200 + r.nextInt(150)));
                }
            }
            gt.put("img" + i, boxes);
        }
        return gt;
    }

    /** Predictions of a detector whose quality grows with {@code skill} (0..1) and false boxes per image (mean) with {@code noise}. */
    static Map<String, List<Detection>> predict(Map<String, List<Box>> gt, double skill, double noise, long seed) {
        Random r = new Random(seed);
        Map<String, List<Detection>> out = new LinkedHashMap<>();
        gt.forEach((id, boxes) -> {
            List<Detection> d = new ArrayList<>();
            for (Box b : boxes) {
                if (r.nextDouble() < skill) {
                    double j = (1 - skill) * 60;
                    d.add(new Detection(new Box(b.x1() + r.nextGaussian() * j, b.y1() + r.nextGaussian() * j,
                            b.x2() + r.nextGaussian() * j, b.y2() + r.nextGaussian() * j), 0.5 + 0.5 * r.nextDouble()));
                }
            }
            while (r.nextDouble() < noise / (1 + noise)) { // geometric, mean {@code noise} false boxes
                double x = r.nextInt(800);
                double y = r.nextInt(800);
                d.add(new Detection(new Box(x, y, x + 120, y + 160), r.nextDouble() * 0.7));
            }
            out.put(id, d);
        });
        return out;
    }

    @Test
    void pointEstimatesAreRsnaMetricsOwn() {
        Map<String, List<Box>> gt = truth(120, 1);
        Map<String, List<Detection>> p = predict(gt, 0.7, 0.4, 2);
        RsnaResult direct = RsnaMetric.evaluate("held-out", gt, p, Map.of());
        DetectionEstimates e = DetectionBootstrap.over("held-out", gt, Bootstrap.seeded(5).withResamples(200)).estimate(p);
        assertEquals(direct.score(), e.rsna().value(), 1e-12);
        assertEquals(direct.ap50(), e.ap50().value(), 1e-12);
        for (String m : DetectionBootstrap.METRICS) {
            Estimate x = e.metric(m);
            assertTrue(x.lo() <= x.value() && x.value() <= x.hi() && x.lo() < x.hi(), m + " " + x);
        }
        assertEquals(120, e.images());
        assertTrue(e.toString().contains("RSNA metric (held-out, n=120): "), e.toString());
    }

    @Test
    void aResampledApIsTheApOfTheResampledDataSet() {
        Map<String, List<Box>> gt = truth(40, 3);
        Map<String, List<Detection>> p = predict(gt, 0.6, 0.5, 4);
        List<String> ids = new ArrayList<>(gt.keySet());
        int[] w = new int[ids.size()];
        Random r = new Random(9);
        for (int i = 0; i < w.length; i++) {
            w[r.nextInt(w.length)]++;
        }
        // the resampled data set written out: image i repeated w[i] times, under new ids
        Map<String, List<Box>> gt2 = new LinkedHashMap<>();
        Map<String, List<Detection>> p2 = new LinkedHashMap<>();
        for (int i = 0; i < w.length; i++) {
            for (int c = 0; c < w[i]; c++) {
                gt2.put(ids.get(i) + "#" + c, gt.get(ids.get(i)));
                p2.put(ids.get(i) + "#" + c, p.get(ids.get(i)));
            }
        }
        RsnaResult expanded = RsnaMetric.evaluate("x", gt2, p2, Map.of());
        // pooled predictions of the original data, sorted by confidence as DetectionBootstrap does
        List<double[]> pooled = new ArrayList<>();
        RsnaMetric metric = new RsnaMetric();
        double gtTotal = 0;
        for (int i = 0; i < ids.size(); i++) {
            List<Detection> d = p.get(ids.get(i)).stream()
                    .sorted(java.util.Comparator.comparingDouble(Detection::score).reversed()).toList();
            List<Box> g = gt.get(ids.get(i));
            boolean[] hit = metric.hitsAt(RsnaMetric.pack(g), g.size(),
                    RsnaMetric.pack(d.stream().map(Detection::box).toList()), d.size(), RsnaMetric.AP_IOU);
            for (int k = 0; k < d.size(); k++) {
                pooled.add(new double[] {d.get(k).score(), hit[k] ? 1 : 0, i});
            }
            gtTotal += w[i] * g.size();
        }
        pooled.sort(java.util.Comparator.comparingDouble((double[] x) -> x[0]).reversed());
        int[] img = pooled.stream().mapToInt(x -> (int) x[2]).toArray();
        boolean[] hit = new boolean[img.length];
        for (int k = 0; k < hit.length; k++) {
            hit[k] = pooled.get(k)[1] == 1;
        }
        assertEquals(expanded.ap50(), DetectionBootstrap.weightedAp(w, img, hit, gtTotal), 1e-12);
    }

    @Test
    void pairedDifferencesFindTheBetterDetectorAndNotATwin() {
        Map<String, List<Box>> gt = truth(300, 11);
        Map<String, List<Detection>> good = predict(gt, 0.9, 0.1, 12);
        Map<String, List<Detection>> noisy = predict(gt, 0.9, 1.2, 12);
        DetectionBootstrap b = DetectionBootstrap.over("held-out", gt, Bootstrap.seeded(3).withResamples(500));
        Map<String, Verdict> v = b.compare("tidy", good, "noisy", noisy);
        assertEquals(Verdict.Outcome.A_BETTER, v.get(DetectionBootstrap.RSNA).outcome(), v.get(DetectionBootstrap.RSNA).sentence());
        // fewer false boxes is better: "tidy" wins on false positives per negative image too
        assertEquals(Verdict.Outcome.A_BETTER, v.get(DetectionBootstrap.FP_PER_NEGATIVE).outcome());
        Map<String, Verdict> same = b.compare("a", good, "a again", good);
        for (Verdict x : same.values()) {
            assertEquals(0.0, x.difference().lo(), 0.0);
            assertEquals(0.0, x.difference().hi(), 0.0);
            assertEquals(Verdict.Outcome.NOT_DISTINGUISHABLE, x.outcome());
        }
    }

    @Test
    void sameSeedSameIntervals() {
        Map<String, List<Box>> gt = truth(80, 21);
        Map<String, List<Detection>> p = predict(gt, 0.6, 0.6, 22);
        var a = DetectionBootstrap.over("val", gt, Bootstrap.seeded(8).withResamples(100)).estimate(p);
        var b = DetectionBootstrap.over("val", gt, Bootstrap.seeded(8).withResamples(100)).estimate(p);
        assertEquals(a.metrics(), b.metrics());
    }
}
