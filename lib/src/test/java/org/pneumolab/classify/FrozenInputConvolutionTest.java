package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fine-tuning tail's first convolution skips the input gradient and the recomputed forward;
 * everything it does compute must be what DL4J's own layer computes: the loss, every parameter
 * gradient (the head's too, which flow through it) and the parameters after RMSprop steps.
 */
class FrozenInputConvolutionTest {
    private static double relL2(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    @Test
    void sameLossGradientsAndStepsAsDl4jsConvolution() {
        Backbone vgg = Backbones.vgg16(32, 5);
        TransferModel model = TransferModel.create(vgg, ClassWeights.published(), 5);
        FineTuner tuner = new FineTuner(model, FineTuner.VGG16_LAYER);
        MultiLayerNetwork ours = tuner.trainingTail(FineTuner.LEARNING_RATE * 100);
        MultiLayerNetwork reference = tuner.referenceTrainingTail(FineTuner.LEARNING_RATE * 100);
        assertInstanceOf(FrozenInputConvolutionLayer.class, ours.getLayer(0));
        assertEquals(ConvolutionLayer.class.getSimpleName(), reference.getLayer(0).getClass().getSimpleName());
        assertEquals(reference.params(), ours.params(), "both start from the same weights");

        long[] shape = vgg.activationShape(tuner.frozenOutput());
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, shape[0], shape[1], shape[2]).subi(0.3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 2);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 2, 1);
        }
        for (MultiLayerNetwork n : new MultiLayerNetwork[] {ours, reference}) {
            n.setInput(x);
            n.setLabels(y);
            Nd4j.getRandom().setSeed(21); // the head's dropout draws the same masks on both sides
            n.computeGradientAndScore();
        }
        assertEquals(reference.score(), ours.score(), 1e-6 * Math.abs(reference.score()));
        INDArray gRef = reference.gradient().gradient();
        assertTrue(gRef.norm2Number().doubleValue() > 0);
        assertTrue(relL2(ours.gradient().gradient(), gRef) < 1e-5, "gradients: rel L2 " + relL2(ours.gradient().gradient(), gRef));
        INDArray convGrad = ours.gradient().getGradientFor("0_W");
        assertTrue(convGrad.norm2Number().doubleValue() > 0, "the convolution's own weights get a gradient");

        INDArray before = ours.params().dup();
        DataSet batch = new DataSet(x, y);
        for (int step = 0; step < 3; step++) {
            Nd4j.getRandom().setSeed(100 + step);
            ours.fit(batch);
            Nd4j.getRandom().setSeed(100 + step);
            reference.fit(batch);
        }
        assertNotEquals(before, ours.params(), "the steps moved the weights");
        assertTrue(relL2(ours.params(), reference.params()) < 1e-5, "params after 3 RMSprop steps: rel L2 "
                + relL2(ours.params(), reference.params()));
        // inference goes through DL4J's own forward
        assertTrue(relL2(ours.output(x, false), reference.output(x, false)) < 1e-5);
    }

    /**
     * The weight and bias gradients of a lone first layer against DL4J's, over the geometry the
     * patch builder must get right: stride 2 in SAME mode (extra bottom/right padding), explicit
     * padding in truncate mode, dilation, a non-square kernel and input, float (the JVM-built
     * patches) and double (libnd4j's im2col).
     */
    @Test
    void weightGradientsMatchDl4jOverStridesPaddingAndDilation() {
        record Case(int[] kernel, int[] stride, int[] pad, int[] dilation, ConvolutionMode mode, DataType type) {
            @Override
            public String toString() {
                return "kernel " + java.util.Arrays.toString(kernel) + " stride " + java.util.Arrays.toString(stride)
                        + " pad " + java.util.Arrays.toString(pad) + " dilation " + java.util.Arrays.toString(dilation)
                        + " " + mode + " " + type;
            }
        }
        List<Case> cases = List.of(
                new Case(new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, ConvolutionMode.Same, DataType.FLOAT),
                new Case(new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0}, new int[] {1, 1}, ConvolutionMode.Truncate, DataType.FLOAT),
                new Case(new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {2, 2}, ConvolutionMode.Same, DataType.FLOAT),
                new Case(new int[] {3, 3}, new int[] {2, 1}, new int[] {0, 0}, new int[] {1, 1}, ConvolutionMode.Same, DataType.DOUBLE));
        for (Case c : cases) {
            ConvolutionLayer conv = new ConvolutionLayer.Builder(c.kernel(), c.stride(), c.pad()).dilation(c.dilation())
                    .convolutionMode(c.mode()).nIn(3).nOut(5).activation(Activation.RELU).build();
            MultiLayerNetwork ours = lone(FrozenInputConvolution.of(conv), c.type());
            MultiLayerNetwork reference = lone(conv, c.type());
            assertEquals(reference.params(), ours.params());
            Nd4j.getRandom().setSeed(4);
            INDArray x = Nd4j.rand(c.type(), 4, 3, 11, 14).subi(0.3);
            INDArray y = Nd4j.zeros(c.type(), 4, 2);
            for (int i = 0; i < 4; i++) {
                y.putScalar(i, i % 2, 1);
            }
            for (MultiLayerNetwork n : new MultiLayerNetwork[] {ours, reference}) {
                n.setInput(x);
                n.setLabels(y);
                n.computeGradientAndScore();
            }
            for (String k : List.of("0_W", "0_b")) {
                INDArray want = reference.gradient().getGradientFor(k);
                assertTrue(want.norm2Number().doubleValue() > 0, c + " " + k);
                double err = relL2(ours.gradient().getGradientFor(k), want);
                assertTrue(err < 1e-5, c + " " + k + ": rel L2 " + err);
            }
        }
    }

    private static MultiLayerNetwork lone(org.deeplearning4j.nn.conf.layers.Layer first, DataType type) {
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12).dataType(type)
                .updater(new Sgd(0.1)).list()
                .layer(first)
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(11, 14, 3)).build());
        n.init();
        return n;
    }

    @Test
    void refusesWhatItDoesNotImplement() {
        ConvolutionLayer withDropout = new ConvolutionLayer.Builder(3, 3).nIn(4).nOut(4).dropOut(new Dropout(0.5)).build();
        assertThrows(IllegalArgumentException.class, () -> FrozenInputConvolution.of(withDropout));
        ConvolutionLayer nhwc = new ConvolutionLayer.Builder(3, 3).nIn(4).nOut(4)
                .dataFormat(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC).build();
        assertThrows(IllegalArgumentException.class, () -> FrozenInputConvolution.of(nhwc));
    }
}
