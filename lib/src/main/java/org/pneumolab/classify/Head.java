package org.pneumolab.classify;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * The published study's classification head: Flatten -> Dense 64 ReLU -> Dropout 0.33 -> BatchNorm ->
 * 2-way softmax with class-weighted cross-entropy. As its own graph it takes the backbone's
 * feature maps [C, H, W] (the flatten is DL4J's CNN-to-dense preprocessor, channel-major, the
 * same order as reshaping cached NCHW features).
 * <p>
 * With {@link FeatureScaling#STANDARDIZE} a frozen per-activation affine layer
 * ({@link #STANDARDIZE}) comes first: x * (1/std) + (-mean/std), set from the training split by
 * {@link #standardizeWith}. It is frozen (never updated) but passes gradients, so fine-tuning
 * and Grad-CAM see the model exactly as it scores.
 */
public final class Head {
    public static final String STANDARDIZE = "head_standardize";
    public static final String DENSE = "head_dense";
    public static final String DROPOUT = "head_dropout";
    public static final String BATCH_NORM = "head_bn";
    public static final String OUTPUT = "predictions";
    /** The published study's head layers in order (a standardising head has {@link #STANDARDIZE} first). */
    public static final List<String> LAYERS = List.of(DENSE, DROPOUT, BATCH_NORM, OUTPUT);
    public static final int UNITS = 64;
    /** Keras Dropout(0.33) drops 33%; DL4J's Dropout takes the probability of KEEPING a unit. */
    public static final double KEEP_PROBABILITY = 1 - 0.33;
    public static final double BN_EPS = 1e-3;

    private Head() {
    }

    /** Keras's RMSprop defaults (rho 0.9, eps 1e-7) with the given learning rate. */
    public static IUpdater rmsProp(double learningRate) {
        return new RmsProp(learningRate, 0.9, 1e-7);
    }

    /** The published study's layer configurations, freshly built, in {@link #LAYERS} order. */
    public static List<Layer> layers(ClassWeights weights) {
        return List.of(
                new DenseLayer.Builder().nOut(UNITS).activation(Activation.RELU).weightInit(WeightInit.XAVIER_UNIFORM).build(),
                new DropoutLayer.Builder().dropOut(new Dropout(KEEP_PROBABILITY)).build(),
                new BatchNormalization.Builder().eps(BN_EPS).decay(0.99).useLogStd(false).build(),
                new OutputLayer.Builder(weights.loss()).nOut(2).activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER_UNIFORM).build());
    }

    /** Layer names of a head with this scaling, in order. */
    public static List<String> layerNames(FeatureScaling scaling) {
        if (scaling == FeatureScaling.NONE) {
            return LAYERS;
        }
        List<String> names = new ArrayList<>();
        names.add(STANDARDIZE);
        names.addAll(LAYERS);
        return List.copyOf(names);
    }

    /** Layer names present in a head graph, in order. */
    public static List<String> layerNames(ComputationGraph head) {
        return layerNames(scaling(head));
    }

    /** Whether a head graph standardises its input. */
    public static FeatureScaling scaling(ComputationGraph head) {
        return head.getConfiguration().getVertices().containsKey(STANDARDIZE)
                ? FeatureScaling.STANDARDIZE : FeatureScaling.NONE;
    }

    /**
     * Layer configurations for {@link #layerNames(FeatureScaling)}, freshly built;
     * {@code inputSize} is the number of activations the head reads (C*H*W).
     */
    public static List<Layer> layers(ClassWeights weights, FeatureScaling scaling, long inputSize) {
        if (scaling == FeatureScaling.NONE) {
            return layers(weights);
        }
        List<Layer> all = new ArrayList<>();
        // Identity activation: the layer is exactly x * W + b, with W = 1/std and b = -mean/std.
        all.add(new FrozenLayerWithBackprop(new ElementWiseMultiplicationLayer.Builder()
                .nIn(inputSize).nOut(inputSize).activation(Activation.IDENTITY)
                // NoOp: frozen by construction too, not only by its zero gradient (weight decay
                // added to the head's global config would otherwise reach it)
                .updater(new org.nd4j.linalg.learning.config.NoOp()).weightInit(WeightInit.ONES).biasInit(0).build()));
        all.addAll(layers(weights));
        return List.copyOf(all);
    }

    /**
     * Sets a standardising head's first layer from {@code stats} (the training split's).
     *
     * @throws IllegalArgumentException if the head does not standardise or the sizes differ
     */
    public static void standardizeWith(ComputationGraph head, FeatureStatistics stats) {
        if (scaling(head) != FeatureScaling.STANDARDIZE) {
            throw new IllegalArgumentException("this head has no " + STANDARDIZE + " layer (FeatureScaling.NONE)");
        }
        var layer = head.getLayer(STANDARDIZE);
        INDArray w = layer.getParam("W");
        if (w.length() != stats.size()) {
            throw new IllegalArgumentException("statistics for " + stats.size() + " activations, head reads "
                    + w.length());
        }
        w.assign(Nd4j.createFromArray(stats.scale()).castTo(w.dataType()).reshape(w.shape()));
        INDArray b = layer.getParam("b");
        b.assign(Nd4j.createFromArray(stats.shift()).castTo(b.dataType()).reshape(b.shape()));
    }

    /** A head graph whose input ("features") is one backbone activation of shape [C, H, W]. */
    public static ComputationGraph graph(long[] featureShape, ClassWeights weights, double learningRate, long seed) {
        return graph(featureShape, weights, learningRate, FeatureScaling.NONE, seed);
    }

    /** As above, standardising the input first when {@code scaling} says so (identity until set). */
    public static ComputationGraph graph(long[] featureShape, ClassWeights weights, double learningRate,
                                         FeatureScaling scaling, long seed) {
        var gb = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(rmsProp(learningRate))
                .graphBuilder()
                .addInputs("features")
                .setInputTypes(InputType.convolutional(featureShape[1], featureShape[2], featureShape[0]));
        String prev = "features";
        List<Layer> layers = layers(weights, scaling, featureShape[0] * featureShape[1] * featureShape[2]);
        List<String> names = layerNames(scaling);
        for (int i = 0; i < names.size(); i++) {
            gb.addLayer(names.get(i), layers.get(i), prev);
            prev = names.get(i);
        }
        ComputationGraphConfiguration conf = gb.setOutputs(OUTPUT).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }
}
