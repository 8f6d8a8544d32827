package org.pneumolab.classify;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossWasserstein;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The part of a model after a chosen base vertex, as a stand-alone network whose input is that
 * vertex's activation: the base layers between the vertex and the base output (a single chain,
 * as in VGG16's block5_conv3 -> block5_pool) followed by the head. Used to fine-tune the top of
 * the base on cached activations, and for Grad-CAM (gradients w.r.t. that activation).
 */
final class GraphTail {
    private GraphTail() {
    }

    /** Base vertices after {@code from}, in order, up to and including the base output. */
    static List<String> chainAfter(Backbone backbone, String from) {
        var conf = backbone.graph().getConfiguration();
        List<String> chain = new ArrayList<>();
        String v = backbone.outputVertex();
        while (!v.equals(from)) {
            List<String> inputs = conf.getVertexInputs().get(v);
            if (inputs == null || inputs.size() != 1 || !(conf.getVertices().get(v) instanceof LayerVertex)) {
                throw new IllegalArgumentException(backbone.name() + ": " + from + " is not on the single chain of layers"
                        + " before " + backbone.outputVertex() + " (stopped at " + v + ")");
            }
            chain.add(0, v);
            v = inputs.get(0);
        }
        return chain;
    }

    /**
     * Trainable tail: chain layers + the full head (dropout, BN, weighted loss), all with
     * {@code updater}. Its input is a constant (cached activations), so a first convolution is a
     * {@link FrozenInputConvolution}: same forward and weight gradients, no input gradient.
     */
    static MultiLayerNetwork forTraining(Backbone backbone, String from, ComputationGraph head, IUpdater updater, long seed) {
        return forTraining(backbone, from, head, updater, seed, true);
    }

    /** As above; {@code frozenInput} false keeps DL4J's own first layer (the reference in tests and the bench). */
    static MultiLayerNetwork forTraining(Backbone backbone, String from, ComputationGraph head, IUpdater updater, long seed,
            boolean frozenInput) {
        List<String> chain = chainAfter(backbone, from);
        List<Layer> layers = new ArrayList<>();
        for (String name : chain) {
            Layer l = layerConf(backbone.graph(), name);
            if (frozenInput && layers.isEmpty() && l instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c
                    && l.getClass() == org.deeplearning4j.nn.conf.layers.ConvolutionLayer.class) {
                l = FrozenInputConvolution.of(c);
            }
            layers.add(l);
        }
        for (String name : Head.layerNames(head)) {
            layers.add(layerConf(head, name));
        }
        for (Layer l : layers) {
            if (l instanceof BaseLayer b) {
                b.setIUpdater(updater);
            }
        }
        MultiLayerNetwork tail = build(backbone, from, layers, seed);
        int i = 0;
        for (String name : chain) {
            copy(backbone.graph().getLayer(name).params(), tail.getLayer(i++));
        }
        for (String name : Head.layerNames(head)) {
            copy(head.getLayer(name).params(), tail.getLayer(i++));
        }
        return tail;
    }

    /**
     * Inference tail ending in the 2 logits (identity activation): dropout is dropped (identity
     * at inference) and the head's BatchNorm is folded into the last layer with its running
     * statistics, so gradients are those of the deployed model. The loss is Wasserstein, whose
     * gradient w.r.t. the logits is the label vector / 2: labels e_k give d logit_k / d input.
     */
    static MultiLayerNetwork logits(Backbone backbone, String from, ComputationGraph head, long seed) {
        List<String> chain = chainAfter(backbone, from);
        List<Layer> layers = new ArrayList<>();
        for (String name : chain) {
            layers.add(layerConf(backbone.graph(), name));
        }
        boolean standardizes = Head.scaling(head) == FeatureScaling.STANDARDIZE;
        if (standardizes) {
            layers.add(layerConf(head, Head.STANDARDIZE));
        }
        layers.add(layerConf(head, Head.DENSE));
        layers.add(new OutputLayer.Builder(new LossWasserstein()).nIn(Head.UNITS).nOut(2)
                .activation(Activation.IDENTITY).build());
        MultiLayerNetwork tail = build(backbone, from, layers, seed);
        int i = 0;
        for (String name : chain) {
            copy(backbone.graph().getLayer(name).params(), tail.getLayer(i++));
        }
        if (standardizes) {
            copy(head.getLayer(Head.STANDARDIZE).params(), tail.getLayer(i++));
        }
        copy(head.getLayer(Head.DENSE).params(), tail.getLayer(i++));

        var bn = head.getLayer(Head.BATCH_NORM).paramTable();
        INDArray gamma = bn.get("gamma").reshape(-1);
        INDArray beta = bn.get("beta").reshape(-1);
        INDArray mean = bn.get("mean").reshape(-1);
        INDArray var = bn.get("var").reshape(-1);
        INDArray scale = gamma.div(Transforms.sqrt(var.add(Head.BN_EPS), true));
        var out = head.getLayer(Head.OUTPUT).paramTable();
        INDArray w = out.get("W");                        // [64, 2]
        INDArray b = out.get("b").reshape(1, 2);
        INDArray foldedW = w.mulColumnVector(scale.reshape(Head.UNITS, 1));
        INDArray shift = beta.sub(mean.mul(scale)).reshape(1, Head.UNITS);
        INDArray foldedB = b.add(shift.mmul(w));
        var target = tail.getLayer(i);
        target.getParam("W").assign(foldedW);
        target.getParam("b").assign(foldedB.reshape(target.getParam("b").shape()));
        return tail;
    }

    private static Layer layerConf(ComputationGraph graph, String name) {
        var v = graph.getConfiguration().getVertices().get(name);
        if (!(v instanceof LayerVertex lv)) {
            throw new IllegalArgumentException("vertex " + name + " is not a layer");
        }
        return lv.getLayerConf().getLayer().clone();
    }

    private static MultiLayerNetwork build(Backbone backbone, String from, List<Layer> layers, long seed) {
        long[] shape = backbone.activationShape(from);
        var lb = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).list();
        for (Layer l : layers) {
            lb.layer(l);
        }
        MultiLayerConfiguration conf = lb.setInputType(InputType.convolutional(shape[1], shape[2], shape[0])).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void copy(INDArray params, org.deeplearning4j.nn.api.Layer target) {
        if (params == null || params.length() == 0) {
            return;
        }
        target.setParams(params.dup());
    }

    /** Writes a trained tail's parameters back into the base chain and the head. */
    static void copyBack(MultiLayerNetwork tail, Backbone backbone, String from, ComputationGraph head) {
        int i = 0;
        for (String name : chainAfter(backbone, from)) {
            var l = tail.getLayer(i++);
            if (l.numParams() > 0) {
                backbone.graph().getLayer(name).setParams(l.params().dup());
            }
        }
        for (String name : Head.layerNames(head)) {
            var l = tail.getLayer(i++);
            if (l.numParams() > 0) {
                head.getLayer(name).setParams(l.params().dup());
            }
        }
    }
}
