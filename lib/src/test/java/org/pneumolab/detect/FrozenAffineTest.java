package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen affine ({@link GraphBuilder#affine}, a depthwise 1x1 convolution with a bias over
 * constants) against the form it replaced, {@code x * (zeros_like(x) + scale) + shift}: the same
 * output and the same gradient with respect to its input, in float and double; the scale and
 * shift are constants that a training step leaves alone; and a graph holding it survives a
 * checkpoint round trip (SameDiff's own format, as RunStore writes it).
 */
class FrozenAffineTest {

    private static double relL2(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    private static void sameAsTheOldForm(DataType dt, double tol) {
        int c = 5;
        Nd4j.getRandom().setSeed(11);
        INDArray x0 = Nd4j.randn(dt, 2, c, 6, 7);
        INDArray r = Nd4j.randn(dt, 2, c, 6, 7);
        INDArray scale = Nd4j.rand(dt, 1, c, 1, 1).addi(0.5);
        INDArray shift = Nd4j.randn(dt, 1, c, 1, 1);

        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", x0.dup());
        GraphBuilder g = new GraphBuilder(sd, dt, 1);
        SDVariable y = g.affine("bn", x, c, 1.0);
        sd.getVariable("bn_scale").getArr().assign(scale);
        sd.getVariable("bn_shift").getArr().assign(shift);
        y.mul(sd.constant("r", r)).sum().rename("loss");
        sd.setLossVariables("loss");

        SameDiff old = SameDiff.create();
        SDVariable xo = old.var("x", x0.dup());
        SDVariable yo = xo.mul(old.zerosLike(xo).add(old.constant("s", scale))).add(old.constant("t", shift));
        yo.mul(old.constant("r", r)).sum().rename("loss");
        old.setLossVariables("loss");

        INDArray out = sd.output(Map.of(), y.name()).get(y.name());
        INDArray outOld = old.output(Map.of(), yo.name()).get(yo.name());
        assertTrue(relL2(out, outOld) < tol, dt + " output: " + relL2(out, outOld));
        INDArray grad = sd.calculateGradients(Map.of(), "x").get("x");
        INDArray gradOld = old.calculateGradients(Map.of(), "x").get("x");
        assertTrue(relL2(grad, gradOld) < tol, dt + " input gradient: " + relL2(grad, gradOld));
        assertEquals(VariableType.CONSTANT, sd.getVariable("bn_scale").getVariableType());
        assertEquals(VariableType.CONSTANT, sd.getVariable("bn_shift").getVariableType());
    }

    @Test
    void sameOutputAndInputGradientAsTheZerosLikeForm() {
        sameAsTheOldForm(DataType.DOUBLE, 1e-12);
        sameAsTheOldForm(DataType.FLOAT, 1e-6);
    }

    @Test
    void aTrainingStepLeavesTheAffinesAloneAndACheckpointRoundTrips() throws Exception {
        RetinaNet net = RetinaNet.create(RetinaNetConfig.paper(22).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(32).fpnChannels(4).headConvs(1).anchorScale(0.5).learningRate(1e-2).pretrained(false)));
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
        // and it trains on: the restored graph's step equals the original's
        double l1 = net.fitBatch(batch, 1).get("loss");
        double l2 = back.fitBatch(batch, 1).get("loss");
        assertEquals(l1, l2, 1e-5 * Math.abs(l1));
    }
}
