package org.pneumolab.detect;

import org.pneumolab.data.DetectionBatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RetinaNetTest {
    static RetinaNetConfig tiny(boolean dbl) {
        return tiny(64, dbl);
    }

    /** The tiny backbone on all five levels P3..P7. */
    static RetinaNetConfig tiny(int size, boolean dbl) {
        return RetinaNetConfig.paper(11).with(c -> c.backbone(BackboneSpec.TINY).inputSize(size).fpnChannels(4)
                .headConvs(1).anchorScale(0.5).learningRate(1e-3).doublePrecision(dbl));
    }

    @Test
    void negativeImageHasZeroBoxLossAndPositiveClassLoss() {
        RetinaNet net = RetinaNet.withRandomValues(tiny(false));
        DetectionBatch neg = SyntheticBlobs.batch(1, 64, 1.0, 3);
        assertTrue(neg.boxes().get(0).isEmpty());
        Map<String, Double> l = net.losses(neg, 0);
        assertEquals(0.0, l.get("box_loss"));
        assertTrue(Double.isFinite(l.get("cls_loss")) && l.get("cls_loss") > 0, "cls loss " + l);
        // a positive image has a box loss
        DetectionBatch pos = SyntheticBlobs.batch(1, 64, 0.0, 3);
        assertTrue(net.losses(pos, 0).get("box_loss") > 0);
    }

    @Test
    void graphLossMatchesHostFocalLossOnHandTargets() {
        RetinaNet net = RetinaNet.withRandomValues(tiny(true));
        DetectionBatch batch = SyntheticBlobs.batch(2, 64, 0.5, 5);
        var ph = net.placeholders(batch);
        var out = net.graph().output(ph, "cls_out", "box_out", "cls_loss", "box_loss");
        double[] z = out.get("cls_out").reshape(-1).toDoubleVector();
        double[] d = out.get("box_out").reshape(-1).toDoubleVector();
        double[] ct = ph.get("cls_target").reshape(-1).toDoubleVector();
        double[] cw = ph.get("cls_weight").reshape(-1).toDoubleVector();
        double[] bt = ph.get("box_target").reshape(-1).toDoubleVector();
        double[] bw = ph.get("box_weight").reshape(-1).toDoubleVector();
        double focal = 0, box = 0, pos = 0;
        for (int i = 0; i < z.length; i++) {
            focal += cw[i] * HostLosses.sigmoidFocal(z[i], ct[i], 0.25, 2);
            pos += bw[i];
            for (int c = 0; c < 4; c++) {
                box += bw[i] * HostLosses.smoothL1(d[4 * i + c] - bt[4 * i + c], 1.0 / 9);
            }
        }
        pos = Math.max(pos, 1);
        assertEquals(focal / pos, out.get("cls_loss").getDouble(0), 1e-9);
        assertEquals(box / pos, out.get("box_loss").getDouble(0), 1e-9);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RetinaNet net = RetinaNet.withRandomValues(tiny(32, true));
        var ph = net.placeholders(SyntheticBlobs.batch(2, 32, 0.5, 9));
        // shared head weights (used on all five levels), FPN, backbone and the stem
        String[] vars = {"cls_logits_W", "box_deltas_W", "cls_head0_W", "fpn_lat3_W", "res3a_branch2a_W",
            "res4a_branch1_W", "stem-patch_W"};
        double worst = GradientCheck.maxRelError(net.graph(), ph, "loss", vars, 2, 1e-6, 1e-6);
        assertTrue(worst < 1e-4, "worst relative gradient error " + worst);
    }
}
