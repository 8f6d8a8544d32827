package org.pneumolab.detect;

import org.pneumolab.data.DetectionBatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import org.pneumolab.geom.Box;
import org.pneumolab.geom.Detection;

class FasterRcnnTest {
    static FasterRcnnConfig tiny(boolean skipNegatives, boolean dbl) {
        return FasterRcnnConfig.sample(13, skipNegatives).with(c -> c.backbone(BackboneSpec.TINY).inputSize(64)
                .rpnChannels(4).anchorSizes(16, 32).pooledSize(3).fcWidth(8).samplesPerImage(16, 8).proposals(50, 8)
                .doublePrecision(dbl));
    }

    @Test
    void roiAlignMatrixInterpolatesBilinearly() {
        // feature value f(y, x) = 3y + x + c*10 is linear, so bilinear sampling is exact
        int h = 4, w = 5, c = 2, stride = 16, s = 2;
        double[] feat = new double[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    feat[(y * w + x) * c + ch] = 3 * y + x + 10 * ch;
                }
            }
        }
        INDArray flat = Nd4j.create(feat, new long[] {h * w, c}, DataType.DOUBLE);
        Box roi = new Box(16, 8, 48, 40); // feature coords x 0.5..2.5, y 0..2 after the -0.5 shift
        INDArray m = RoiAlignMatrix.build(List.of(roi), new int[] {0}, 1, h, w, stride, s, DataType.DOUBLE);
        INDArray pooled = m.mmul(flat);
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                double y = 8.0 / 16 - 0.5 + (i + 0.5) * (32.0 / 16 / s);
                double x = 16.0 / 16 - 0.5 + (j + 0.5) * (32.0 / 16 / s);
                assertEquals(3 * y + x, pooled.getDouble(i * s + j, 0), 1e-12);
                assertEquals(3 * y + x + 10, pooled.getDouble(i * s + j, 1), 1e-12);
            }
        }
        // a box far outside the map samples nothing
        INDArray out = RoiAlignMatrix.build(List.of(new Box(500, 500, 600, 600)), new int[] {0}, 1, h, w, stride, s, DataType.DOUBLE);
        assertEquals(0.0, out.sumNumber().doubleValue());
    }

    @Test
    void negativeImageHasZeroBoxLossesAndPositiveClassLosses() {
        FasterRcnn net = FasterRcnn.create(tiny(false, false));
        DetectionBatch neg = SyntheticBlobs.batch(1, 64, 1.0, 3);
        Map<String, Double> l = net.losses(neg, 1);
        assertEquals(0.0, l.get("rpn_box_loss"));
        assertEquals(0.0, l.get("roi_box_loss"));
        assertEquals(0.0, l.get("box_loss"));
        assertTrue(l.get("rpn_cls_loss") > 0 && Double.isFinite(l.get("rpn_cls_loss")), l.toString());
        assertTrue(l.get("roi_cls_loss") > 0 && Double.isFinite(l.get("roi_cls_loss")), l.toString());
        DetectionBatch pos = SyntheticBlobs.batch(1, 64, 0.0, 3);
        Map<String, Double> lp = net.losses(pos, 1);
        assertTrue(lp.get("rpn_box_loss") > 0 && lp.get("roi_box_loss") > 0, lp.toString());
    }

    @Test
    void seedModeSkipsNegativeImagesCorrectedModeTrainsOnThem() {
        var negFile = new org.pneumolab.data.DetectionSample("neg", java.nio.file.Path.of("neg.png"), List.of());
        var posFile = new org.pneumolab.data.DetectionSample("pos", java.nio.file.Path.of("pos.png"), List.of(new Box(1, 1, 9, 9)));
        FasterRcnn seed = FasterRcnn.create(tiny(true, false));
        FasterRcnn corrected = FasterRcnn.create(tiny(false, false));
        assertFalse(seed.trainsOn(negFile));
        assertTrue(seed.trainsOn(posFile));
        assertTrue(corrected.trainsOn(negFile));
        Map<String, Double> step = corrected.fitBatch(SyntheticBlobs.batch(2, 64, 0.5, 3), 5);
        assertTrue(Double.isFinite(step.get("loss")) && step.get("loss") > 0, step.toString());
        // Boxes come back in the original's pixels: the same tensor, once declared a 1024 px
        // original and once its own 64 px original, gives the same boxes 16 times as large.
        DetectionBatch big = SyntheticBlobs.batch(1, 64, 0.0, 3);
        DetectionBatch own = new DetectionBatch(big.images(), big.boxes(), big.ids(),
                List.of(org.pneumolab.geom.ResizeGeometry.stretch(64, 64, 64, 64)));
        var res = corrected.detect(big, PostProcess.raw(50));
        assertEquals(1, res.size());
        List<Detection> original = res.get(0).detections();
        List<Detection> model = corrected.detect(own, PostProcess.raw(50)).get(0).detections();
        assertFalse(original.isEmpty(), "no boxes to compare");
        assertEquals(model.size(), original.size());
        double k = (double) SyntheticBlobs.ORIG / 64;
        for (int i = 0; i < original.size(); i++) {
            Box o = original.get(i).box();
            Box m = model.get(i).box();
            assertEquals(m.x1() * k, o.x1(), 1e-3 * k);
            assertEquals(m.y1() * k, o.y1(), 1e-3 * k);
            assertEquals(m.x2() * k, o.x2(), 1e-3 * k);
            assertEquals(m.y2() * k, o.y2(), 1e-3 * k);
            assertTrue(o.x2() <= SyntheticBlobs.ORIG && o.y2() <= SyntheticBlobs.ORIG, o.toString());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        FasterRcnn net = FasterRcnn.create(tiny(false, true));
        Map<String, INDArray> ph = net.trainingPlaceholders(SyntheticBlobs.batch(2, 64, 0.5, 4), 2);
        String[] vars = {"rpn_logits_W", "rpn_deltas_W", "fc6_W", "roi_cls_W", "roi_box_W", "res4a_branch2a_W"};
        double worst = GradientCheck.maxRelError(net.graph(), ph, "loss", vars, 2, 1e-6, 1e-9);
        assertTrue(worst < 1e-4, "worst relative gradient error " + worst);
    }
}
