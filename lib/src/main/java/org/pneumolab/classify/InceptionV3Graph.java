package org.pneumolab.classify;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * InceptionV3 without its top (Keras's {@code include_top=False}), built layer by layer with
 * the names Keras gives it (conv2d_1.., batch_normalization_1.., activation_1.., mixed0..mixed10)
 * so that Keras's ImageNet weight file can be loaded by layer name. DL4J's zoo has no InceptionV3.
 *
 * <p>Every Keras {@code conv2d_bn} is Conv2D(use_bias=False) -> BatchNormalization(scale=False,
 * eps 1e-3) -> ReLU. DL4J's BN always has a gamma; with scale=False weights it stays at 1.
 */
public final class InceptionV3Graph {
    /** The smallest input Keras accepts for InceptionV3 (the stem reduces 75 px to 1x1 at mixed10). */
    public static final int MIN_INPUT = 75;
    public static final String INPUT = "input_1";
    public static final String OUTPUT = "mixed10";

    private final GraphBuilder g;
    private int conv;
    private int maxPool;
    private int avgPool;
    private int concat;

    private InceptionV3Graph(GraphBuilder g) {
        this.g = g;
    }

    public static ComputationGraphConfiguration configuration(int inputSize, long seed) {
        if (inputSize < MIN_INPUT) {
            throw new IllegalArgumentException("InceptionV3 needs an input of at least " + MIN_INPUT + " px, got " + inputSize);
        }
        GraphBuilder gb = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(inputSize, inputSize, 3));
        new InceptionV3Graph(gb).build();
        return gb.setOutputs(OUTPUT).build();
    }

    /**
     * Adds Keras's conv2d_bn block named conv2d_k / batch_normalization_k / activation_k, where k
     * counts calls in Keras's order, and returns the activation's name.
     */
    public static String conv2dBn(GraphBuilder g, int k, String input, int filters, int rows, int cols,
                                  int stride, boolean same) {
        String c = "conv2d_" + k;
        String bn = "batch_normalization_" + k;
        String act = "activation_" + k;
        g.addLayer(c, new ConvolutionLayer.Builder(rows, cols)
                .stride(stride, stride)
                .nOut(filters)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .convolutionMode(same ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                .build(), input);
        g.addLayer(bn, new BatchNormalization.Builder()
                .eps(1e-3)
                .decay(0.99)
                .useLogStd(false)
                .build(), c);
        g.addLayer(act, new ActivationLayer(Activation.RELU), bn);
        return act;
    }

    private String cbn(String in, int filters, int rows, int cols) {
        return conv2dBn(g, ++conv, in, filters, rows, cols, 1, true);
    }

    private String cbnValid(String in, int filters, int rows, int cols, int stride) {
        return conv2dBn(g, ++conv, in, filters, rows, cols, stride, false);
    }

    private String maxPool(String in) {
        String name = "max_pooling2d_" + (++maxPool);
        g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build(), in);
        return name;
    }

    /** 3x3 stride-1 'same' average pool; Keras/TF divide by the count of real (unpadded) pixels. */
    private String avgPool(String in) {
        String name = "average_pooling2d_" + (++avgPool);
        g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1)
                .convolutionMode(ConvolutionMode.Same).avgPoolIncludePadInDivisor(false).build(), in);
        return name;
    }

    private String concat(String name, String... inputs) {
        g.addVertex(name, new MergeVertex(), inputs);
        return name;
    }

    private void build() {
        String x = cbnValid(INPUT, 32, 3, 3, 2);
        x = cbnValid(x, 32, 3, 3, 1);
        x = cbn(x, 64, 3, 3);
        x = maxPool(x);
        x = cbnValid(x, 80, 1, 1, 1);
        x = cbnValid(x, 192, 3, 3, 1);
        x = maxPool(x);

        // mixed0..2: 35x35 at 299 px
        int[] poolFilters = {32, 64, 64};
        for (int i = 0; i < 3; i++) {
            String b1 = cbn(x, 64, 1, 1);
            String b5 = cbn(x, 48, 1, 1);
            b5 = cbn(b5, 64, 5, 5);
            String b3 = cbn(x, 64, 1, 1);
            b3 = cbn(b3, 96, 3, 3);
            b3 = cbn(b3, 96, 3, 3);
            String bp = cbn(avgPool(x), poolFilters[i], 1, 1);
            x = concat("mixed" + i, b1, b5, b3, bp);
        }

        // mixed3: reduction to 17x17
        String b3 = cbnValid(x, 384, 3, 3, 2);
        String bd = cbn(x, 64, 1, 1);
        bd = cbn(bd, 96, 3, 3);
        bd = cbnValid(bd, 96, 3, 3, 2);
        x = concat("mixed3", b3, bd, maxPool(x));

        // mixed4..7: factorised 7x7
        int[] widths = {128, 160, 160, 192};
        for (int i = 0; i < 4; i++) {
            int w = widths[i];
            String b1 = cbn(x, 192, 1, 1);
            String b7 = cbn(x, w, 1, 1);
            b7 = cbn(b7, w, 1, 7);
            b7 = cbn(b7, 192, 7, 1);
            String b7d = cbn(x, w, 1, 1);
            b7d = cbn(b7d, w, 7, 1);
            b7d = cbn(b7d, w, 1, 7);
            b7d = cbn(b7d, w, 7, 1);
            b7d = cbn(b7d, 192, 1, 7);
            String bp = cbn(avgPool(x), 192, 1, 1);
            x = concat("mixed" + (4 + i), b1, b7, b7d, bp);
        }

        // mixed8: reduction to 8x8
        String r3 = cbn(x, 192, 1, 1);
        r3 = cbnValid(r3, 320, 3, 3, 2);
        String r7 = cbn(x, 192, 1, 1);
        r7 = cbn(r7, 192, 1, 7);
        r7 = cbn(r7, 192, 7, 1);
        r7 = cbnValid(r7, 192, 3, 3, 2);
        x = concat("mixed8", r3, r7, maxPool(x));

        // mixed9, mixed10: expanded filter banks
        for (int i = 0; i < 2; i++) {
            String b1 = cbn(x, 320, 1, 1);
            String b3x = cbn(x, 384, 1, 1);
            String b3a = cbn(b3x, 384, 1, 3);
            String b3b = cbn(b3x, 384, 3, 1);
            String b3cat = concat("mixed9_" + i, b3a, b3b);
            String bd3 = cbn(x, 448, 1, 1);
            bd3 = cbn(bd3, 384, 3, 3);
            String bd3a = cbn(bd3, 384, 1, 3);
            String bd3b = cbn(bd3, 384, 3, 1);
            String bdcat = concat("concatenate_" + (++concat), bd3a, bd3b);
            String bp = cbn(avgPool(x), 192, 1, 1);
            x = concat("mixed" + (9 + i), b1, b3cat, bdcat, bp);
        }
    }
}
