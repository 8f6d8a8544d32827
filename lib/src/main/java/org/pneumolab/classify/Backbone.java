package org.pneumolab.classify;

import java.util.Objects;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A convolutional base without its ImageNet top: one input, one output vertex (the bottleneck
 * features the head is trained on). The graph is kept un-frozen; freezing happens where a full
 * model is assembled ({@link TransferModel#assemble()}), and the base is only ever run in
 * inference mode while the head trains.
 *
 * @param name           "vgg16" or "inception_v3" (part of the feature-cache key)
 * @param graph          the base, ending at {@code outputVertex}
 * @param outputVertex   the feature vertex: block5_pool (VGG16) or mixed10 (InceptionV3)
 * @param inputSize      square input side in pixels
 * @param weights        which weights are in use
 * @param preprocessing  pixel preprocessing these weights expect
 * @param gradCamLayer   the default Grad-CAM layer (block5_conv3 / mixed10)
 */
public record Backbone(String name, ComputationGraph graph, String outputVertex, int inputSize,
                       WeightsSource weights, Preprocessing preprocessing, String gradCamLayer) {
    public Backbone {
        Objects.requireNonNull(graph, "graph");
        if (graph.getConfiguration().getVertices().get(outputVertex) == null) {
            throw new IllegalArgumentException(name + ": no vertex named " + outputVertex);
        }
        if (graph.getConfiguration().getVertices().get(gradCamLayer) == null) {
            throw new IllegalArgumentException(name + ": no vertex named " + gradCamLayer);
        }
    }

    public String inputName() {
        return graph.getConfiguration().getNetworkInputs().get(0);
    }

    /** Shape of one example's features at {@code vertex} as [C, H, W]. */
    public long[] activationShape(String vertex) {
        var types = graph.getConfiguration().getLayerActivationTypes(
                org.deeplearning4j.nn.conf.inputs.InputType.convolutional(inputSize, inputSize, 3));
        var t = (org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional) types.get(vertex);
        if (t == null) {
            throw new IllegalArgumentException(name + ": no vertex named " + vertex);
        }
        return new long[]{t.getChannels(), t.getHeight(), t.getWidth()};
    }

    /** Same backbone with another preprocessing (e.g. the seed's 1/255 rescale on random weights). */
    public Backbone withPreprocessing(Preprocessing p) {
        return new Backbone(name, graph, outputVertex, inputSize, weights, p, gradCamLayer);
    }

    /** Identity of this base for cache keys: model, weights, input size. */
    public String cacheIdentity() {
        return name + "|" + weights.kind() + ":" + weights.detail() + "|" + inputSize;
    }
}
