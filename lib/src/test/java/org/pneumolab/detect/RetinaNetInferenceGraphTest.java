package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * RetinaNet's inference copy (NHWC, every backbone affine folded into its convolution) gives the
 * training graph's class logits and box deltas within 1e-4 relative L2 error, also after a
 * training step changed the weights (the copy is rebuilt). The affines get random values first:
 * at their initial scale 1 / shift 0 folding would prove little.
 */
class RetinaNetInferenceGraphTest {
    @Test
    void foldedNhwcCopyMatchesTheTrainingGraph() {
        RetinaNetConfig c = RetinaNetConfig.paper(21).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK).inputSize(64)
                .fpnChannels(8).headConvs(2).anchorScale(0.5).learningRate(1e-3).doublePrecision(false));
        RetinaNet net = RetinaNet.withRandomValues(c);
        InferenceCopyFixtures.randomiseAffines(net.graph(), 5);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 64, 64);
        assertClose(net, x);
        SameDiff frozen = RetinaNet.inferenceGraph(c, net.graph());
        assertFalse(frozen.hasVariable("bn2a_branch2a_scale"), "affines are folded away");
        assertTrue(frozen.hasVariable("res2a_branch2a_W"));

        net.fitBatch(InferenceCopyFixtures.oneBoxThenNone(x), 0);
        assertClose(net, x);
    }

    @Test
    void affineGradientsMatchFiniteDifferences() {
        // trained affines (random init's form)
        RetinaNet net = RetinaNet.create(RetinaNetConfig.paper(22).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(32).fpnChannels(4).headConvs(1).anchorScale(0.5).learningRate(1e-3).pretrained(false)
                .frozenNorm(false).doublePrecision(true)));
        InferenceCopyFixtures.randomiseAffines(net.graph(), 6);
        var ph = net.placeholders(SyntheticBlobs.batch(2, 32, 0.5, 9));
        String[] vars = {"bn2a_branch2a_scale", "bn2a_branch2a_shift", "bn3a_branch1_scale", "stem-batch1_scale",
            "res2a_branch2b_W"};
        double worst = GradientCheck.maxRelError(net.graph(), ph, "loss", vars, 2, 1e-6, 1e-6);
        assertTrue(worst < 1e-4, "worst relative gradient error " + worst);
    }

    @Test
    void gradientsThroughFrozenAffinesMatchFiniteDifferences() {
        // frozen affines are constants with no gradient of their own: check the gradient through
        // them, at the convolution before each of several (stem, bottleneck, shortcut) and after
        RetinaNet net = RetinaNet.withRandomValues(RetinaNetConfig.paper(22).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(32).fpnChannels(4).headConvs(1).anchorScale(0.5).learningRate(1e-3)
                .frozenNorm(true).doublePrecision(true)));
        InferenceCopyFixtures.randomiseAffines(net.graph(), 6);
        var ph = net.placeholders(SyntheticBlobs.batch(2, 32, 0.5, 9));
        String[] vars = {"stem-cnn1_W", "res2a_branch2a_W", "res2a_branch2c_W", "res3a_branch1_W", "res2a_branch2b_W"};
        double worst = GradientCheck.maxRelError(net.graph(), ph, "loss", vars, 2, 1e-6, 1e-6);
        assertTrue(worst < 1e-4, "worst relative gradient error " + worst);
    }

    private static void assertClose(RetinaNet net, INDArray x) {
        Map<String, INDArray> expected = net.graph().output(Map.of("image", x), "cls_out", "box_out");
        Map<String, INDArray> got = net.frozenOutputs(x);
        for (String k : List.of("cls_out", "box_out")) {
            assertArrayEquals(expected.get(k).shape(), got.get(k).shape(), k);
            double err = got.get(k).sub(expected.get(k)).norm2Number().doubleValue()
                    / expected.get(k).norm2Number().doubleValue();
            assertTrue(err < 1e-4, k + ": relative L2 error " + err);
        }
    }
}
