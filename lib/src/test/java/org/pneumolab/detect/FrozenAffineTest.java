package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen batch norm ({@code RetinaNetConfig.frozenNorm}: {@link GraphBuilder#convAffine}, the
 * constant scale and shift folded into the convolution inside the graph) against the trained form
 * it stands beside (a convolution, then {@code x * (zeros_like(x) + scale) + shift} over
 * variables): the same output and the same gradients for the input, weights and bias of one
 * convolution + affine (SAME 1x1, 3x3, strided, the stem's padded 7x7); for a whole RetinaNet with the same weights, the same loss and the same gradient
 * for every weight the frozen graph trains; a step leaves the constants alone; a checkpoint round
 * trips; the profiles' defaults (paper frozen, sample and random-init studies not, and the sample
 * backbone has no affine for the knob to change); Faster R-CNN's frozen and trained forms likewise.
 */
class FrozenAffineTest {

    private static double relL2(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    /** One convolution + affine, built frozen and trained over the same values: output and gradients. */
    private static void sameAsTheTrainedForm(DataType dt, double tol, int k, int stride, int pad) {
        int in = 3;
        int c = 5;
        Nd4j.getRandom().setSeed(11);
        INDArray x0 = Nd4j.randn(dt, 2, in, 9, 8);
        INDArray scale = Nd4j.rand(dt, c).addi(0.5);
        INDArray shift = Nd4j.randn(dt, c);
        INDArray bias = Nd4j.randn(dt, c);
        Map<String, INDArray> outs = new java.util.HashMap<>();
        Map<String, Map<String, INDArray>> grads = new java.util.HashMap<>();
        for (boolean frozen : new boolean[] {true, false}) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", x0.dup());
            SDVariable y = new GraphBuilder(sd, dt, 1, frozen).convAffine("cv", "bn", x, in, c, k, stride, pad, 1.0);
            for (var e : Map.of("bn_scale", scale, "bn_shift", shift, "cv_b", bias).entrySet()) {
                INDArray a = sd.getVariable(e.getKey()).getArr();
                a.assign(e.getValue().reshape(a.shape()));
            }
            assertEquals(frozen ? VariableType.CONSTANT : VariableType.VARIABLE, sd.getVariable("bn_scale").getVariableType());
            assertEquals(frozen ? VariableType.CONSTANT : VariableType.VARIABLE, sd.getVariable("bn_shift").getVariableType());
            INDArray out = sd.output(Map.of(), y.name()).get(y.name());
            Nd4j.getRandom().setSeed(5);
            INDArray r = Nd4j.randn(dt, out.shape());
            y.mul(sd.constant("r", r)).sum().rename("loss");
            sd.setLossVariables("loss");
            outs.put(String.valueOf(frozen), out);
            grads.put(String.valueOf(frozen), sd.calculateGradients(Map.of(), "x", "cv_W", "cv_b"));
        }
        String what = dt + " k" + k + " s" + stride + " pad " + pad;
        assertTrue(relL2(outs.get("true"), outs.get("false")) < tol, what + " output");
        for (String v : List.of("x", "cv_W", "cv_b")) {
            double e = relL2(grads.get("true").get(v), grads.get("false").get(v));
            assertTrue(e < tol, what + " gradient of " + v + ": " + e);
        }
    }

    @Test
    void sameOutputAndGradientsAsTheTrainedForm() {
        for (int[] kp : new int[][] {{1, 1, -1}, {3, 1, -1}, {1, 2, -1}, {7, 2, 3}}) {
            sameAsTheTrainedForm(DataType.DOUBLE, 1e-12, kp[0], kp[1], kp[2]);
            sameAsTheTrainedForm(DataType.FLOAT, 1e-5, kp[0], kp[1], kp[2]);
        }
    }

    private static RetinaNetConfig small(boolean frozen, boolean dbl) {
        return RetinaNetConfig.paper(22).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(32).fpnChannels(4).headConvs(1).anchorScale(0.5).learningRate(1e-2)
                .frozenNorm(frozen).doublePrecision(dbl));
    }

    /** The whole network: same weights and affines, same loss and same gradient for every trained weight. */
    private static void wholeNetworkSame(DataType dt, double tol) {
        boolean dbl = dt == DataType.DOUBLE;
        RetinaNet frozen = RetinaNet.withRandomValues(small(true, dbl));
        RetinaNet trained = RetinaNet.withRandomValues(small(false, dbl));
        InferenceCopyFixtures.randomiseAffines(frozen.graph(), 3);
        InferenceCopyFixtures.randomiseAffines(trained.graph(), 3);
        List<String> weights = new ArrayList<>();
        for (SDVariable v : frozen.graph().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                weights.add(v.name());
                assertEquals(v.getArr(), trained.graph().getArrForVarName(v.name()), "same seed, same " + v.name());
            }
        }
        assertFalse(weights.stream().anyMatch(n -> n.endsWith("_scale") || n.endsWith("_shift")), "no affine trains");
        assertTrue(trained.graph().getVariable("bn2a_branch2a_scale").getVariableType() == VariableType.VARIABLE);

        var ph = frozen.placeholders(SyntheticBlobs.batch(2, 32, 0.5, 9));
        double lf = frozen.graph().output(ph, "loss").get("loss").getDouble(0);
        double lt = trained.graph().output(ph, "loss").get("loss").getDouble(0);
        assertEquals(lt, lf, tol * Math.abs(lt), dt + " loss");
        Map<String, INDArray> gf = frozen.graph().calculateGradients(ph, weights);
        Map<String, INDArray> gt = trained.graph().calculateGradients(ph, weights);
        for (String n : weights) {
            assertTrue(relL2(gf.get(n), gt.get(n)) < tol, dt + " gradient of " + n + ": " + relL2(gf.get(n), gt.get(n)));
        }
    }

    @Test
    void wholeRetinaNetGivesTheSameLossAndWeightGradients() {
        wholeNetworkSame(DataType.DOUBLE, 1e-9);
        wholeNetworkSame(DataType.FLOAT, 1e-4);
    }

    @Test
    void fasterRcnnFrozenGivesTheSameLossAndWeightGradients() {
        FasterRcnnConfig base = FasterRcnnConfig.paper(31, false).with(c -> c.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(64).rpnChannels(8).anchorSizes(16, 32).pooledSize(3).fcWidth(16).samplesPerImage(16, 8)
                .proposals(50, 8).doublePrecision(true));
        assertTrue(FasterRcnnConfig.paper(1, false).frozenNorm());
        assertFalse(FasterRcnnConfig.sample(1, false).frozenNorm());
        FasterRcnn frozen = FasterRcnn.withRandomValues(base.with(c -> c.frozenNorm(true)));
        FasterRcnn trained = FasterRcnn.withRandomValues(base.with(c -> c.frozenNorm(false)));
        InferenceCopyFixtures.randomiseAffines(frozen.graph(), 4);
        InferenceCopyFixtures.randomiseAffines(trained.graph(), 4);
        var batch = SyntheticBlobs.batch(2, 64, 0.5, 9);
        var ph = frozen.trainingPlaceholders(batch, 5);
        List<String> weights = new ArrayList<>();
        frozen.graph().variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .forEach(v -> weights.add(v.name()));
        assertFalse(weights.stream().anyMatch(n -> n.endsWith("_scale") || n.endsWith("_shift")), "no affine trains");
        String loss = frozen.graph().getLossVariables().get(0);
        double lf = frozen.graph().output(ph, loss).get(loss).getDouble(0);
        double lt = trained.graph().output(ph, loss).get(loss).getDouble(0);
        assertEquals(lt, lf, 1e-9 * Math.abs(lt), "loss");
        Map<String, INDArray> gf = frozen.graph().calculateGradients(ph, weights);
        Map<String, INDArray> gt = trained.graph().calculateGradients(ph, weights);
        int compared = 0;
        for (String n : weights) {
            // weights off the loss's path (the C5 stage: this detector reads C4) have no gradient in either
            assertEquals(gt.get(n) == null, gf.get(n) == null, "a gradient for " + n + " in one graph only");
            if (gt.get(n) == null) {
                continue;
            }
            double e = gt.get(n).norm2Number().doubleValue() == 0 ? gf.get(n).norm2Number().doubleValue() : relL2(gf.get(n), gt.get(n));
            assertTrue(e < 1e-9, "gradient of " + n + ": " + e);
            compared++;
        }
        assertTrue(compared > 10, "only " + compared + " gradients compared");
    }

    @Test
    void aTrainingStepLeavesTheAffinesAloneAndACheckpointRoundTrips() throws Exception {
        RetinaNet net = RetinaNet.withRandomValues(small(true, false));
        InferenceCopyFixtures.randomiseAffines(net.graph(), 3);
        INDArray scale = net.graph().getArrForVarName("bn2a_branch2a_scale").dup();
        INDArray conv = net.graph().getArrForVarName("res2a_branch2a_W").dup();
        var batch = SyntheticBlobs.batch(2, 32, 0.5, 9);
        net.fitBatch(batch, 0);
        assertEquals(scale, net.graph().getArrForVarName("bn2a_branch2a_scale"), "a frozen affine does not train");
        assertTrue(relL2(net.graph().getArrForVarName("res2a_branch2a_W"), conv) > 0, "the convolution before it does");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        net.graph().save(bytes, true);
        RetinaNet back = RetinaNet.restore(net.config(), SameDiff.load(new ByteArrayInputStream(bytes.toByteArray()), true));
        var ph = net.placeholders(batch);
        double before = net.graph().output(ph, "loss").get("loss").getDouble(0);
        double after = back.graph().output(ph, "loss").get("loss").getDouble(0);
        assertEquals(before, after, 1e-6 * Math.abs(before));
        double l1 = net.fitBatch(batch, 1).get("loss");
        double l2 = back.fitBatch(batch, 1).get("loss");
        assertEquals(l1, l2, 1e-5 * Math.abs(l1));
    }

    /**
     * Frozen affines on a random backbone are no normalisation at all: a configuration that would
     * train that is refused, naming the knob, whether built or read from JSON; random init is both
     * knobs off; the paper graph on random values (timing, tests) keeps the paper's configuration.
     */
    @Test
    void frozenAffinesWithoutAPretrainedBackboneAreRefused() {
        for (var build : List.<org.junit.jupiter.api.function.Executable>of(
                () -> RetinaNetConfig.paper(1).with(b -> b.pretrained(false)),
                () -> FasterRcnnConfig.paper(1, false).with(b -> b.pretrained(false)),
                () -> RetinaNetConfig.sample(1).with(b -> b.frozenNorm(true)),
                () -> RetinaNetConfig.fromJson(RetinaNetConfig.paper(1).toJson()
                        .replace("\"pretrained\":true", "\"pretrained\":false")))) {
            var e = assertThrows(IllegalArgumentException.class, build);
            assertTrue(e.getMessage().contains("frozenNorm(true) needs pretrained(true)"), e.getMessage());
        }
        assertFalse(RetinaNetConfig.paper(1).with(b -> b.pretrained(false).frozenNorm(false)).frozenNorm());
        assertFalse(FasterRcnnConfig.paper(1, false).with(b -> b.pretrained(false).frozenNorm(false)).frozenNorm());
        RetinaNet timed = RetinaNet.withRandomValues(small(true, false));
        assertTrue(timed.config().pretrained() && timed.config().frozenNorm());
        assertTrue(timed.initNote().startsWith("random values (seed 22) in place of the configured ImageNet weights"),
                timed.initNote());
    }

    @Test
    void paperFreezesSampleAndRandomInitStudiesDoNotAndTheKnobIsPartOfTheIdentity() {
        assertTrue(RetinaNetConfig.paper(1).frozenNorm());
        assertFalse(RetinaNetConfig.sample(1).frozenNorm());
        var randomInit = org.pneumolab.detect.study.StudySpec.forProfile(org.pneumolab.runtime.Profile.PAPER, 1)
                .with(s -> s.weights(org.pneumolab.weights.WeightsChoice.RANDOM));
        assertFalse(randomInit.retinaNet().frozenNorm(), "random init trains its affines");
        // the sample backbone has no batch norm at all: frozen or not, the same graph
        SameDiff sample = RetinaNet.buildGraph(RetinaNetConfig.sample(1).with(b -> b.pretrained(true).frozenNorm(true)));
        assertTrue(sample.variables().stream().noneMatch(v -> v.name().endsWith("_scale")), "no affine in the sample backbone");
        assertEquals(RetinaNet.buildGraph(RetinaNetConfig.sample(1)).variables().size(), sample.variables().size());
        // written to and read from the configuration, and so part of a run's identity
        RetinaNetConfig c = RetinaNetConfig.paper(1);
        assertEquals(c, RetinaNetConfig.fromJson(c.toJson()));
        assertNotEquals(c.toJson(), c.with(b -> b.frozenNorm(false)).toJson());
        // a configuration written before the knob: its graph trained the affines
        String old = c.toJson().replace(",\"frozenNorm\":true", "");
        assertFalse(old.contains("frozenNorm"));
        assertFalse(RetinaNetConfig.fromJson(old).frozenNorm());
    }
}
