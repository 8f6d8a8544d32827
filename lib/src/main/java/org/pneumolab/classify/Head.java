package org.pneumolab.classify;

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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * The seed's classification head: Flatten -> Dense 64 ReLU -> Dropout 0.33 -> BatchNorm ->
 * 2-way softmax with class-weighted cross-entropy. As its own graph it takes the backbone's
 * feature maps [C, H, W] (the flatten is DL4J's CNN-to-dense preprocessor, channel-major, the
 * same order as reshaping cached NCHW features).
 */
public final class Head {
    public static final String DENSE = "head_dense";
    public static final String DROPOUT = "head_dropout";
    public static final String BATCH_NORM = "head_bn";
    public static final String OUTPUT = "predictions";
    /** Head layers in order, for copying parameters between graphs. */
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

    /** Layer configurations, freshly built, in {@link #LAYERS} order. */
    public static List<Layer> layers(ClassWeights weights) {
        return List.of(
                new DenseLayer.Builder().nOut(UNITS).activation(Activation.RELU).weightInit(WeightInit.XAVIER_UNIFORM).build(),
                new DropoutLayer.Builder().dropOut(new Dropout(KEEP_PROBABILITY)).build(),
                new BatchNormalization.Builder().eps(BN_EPS).decay(0.99).useLogStd(false).build(),
                new OutputLayer.Builder(weights.loss()).nOut(2).activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER_UNIFORM).build());
    }

    /** A head graph whose input ("features") is one backbone activation of shape [C, H, W]. */
    public static ComputationGraph graph(long[] featureShape, ClassWeights weights, double learningRate, long seed) {
        var gb = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(rmsProp(learningRate))
                .graphBuilder()
                .addInputs("features")
                .setInputTypes(InputType.convolutional(featureShape[1], featureShape[2], featureShape[0]));
        String prev = "features";
        List<Layer> layers = layers(weights);
        for (int i = 0; i < LAYERS.size(); i++) {
            gb.addLayer(LAYERS.get(i), layers.get(i), prev);
            prev = LAYERS.get(i);
        }
        ComputationGraphConfiguration conf = gb.setOutputs(OUTPUT).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }
}
