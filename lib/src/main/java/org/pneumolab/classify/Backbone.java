package org.pneumolab.classify;

import java.util.List;
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

    /** Same backbone with another preprocessing (e.g. the published study's 1/255 rescale on random weights). */
    public Backbone withPreprocessing(Preprocessing p) {
        return new Backbone(name, graph, outputVertex, inputSize, weights, p, gradCamLayer);
    }

    /**
     * The same base ending at {@code vertex}: a new graph holding only the vertices that feed it,
     * with this base's weights copied. Used where deep features are the wrong choice (a random-init
     * base keeps the image's signal only in its shallow layers; see StudyConfig). The Grad-CAM
     * layer becomes {@code gradCamLayer} (it must feed {@code vertex} or be it).
     */
    public Backbone cutAt(String vertex, String gradCamLayer) {
        var conf = graph.getConfiguration();
        if (conf.getVertices().get(vertex) == null) {
            throw new IllegalArgumentException(name + ": no vertex named " + vertex);
        }
        if (vertex.equals(outputVertex) && gradCamLayer.equals(this.gradCamLayer)) {
            return this;
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (keep.add(v)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
            }
        }
        if (!keep.contains(gradCamLayer)) {
            throw new IllegalArgumentException(name + ": Grad-CAM layer " + gradCamLayer + " does not feed " + vertex);
        }
        String input = inputName();
        var gb = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT).graphBuilder().addInputs(input);
        for (String v : conf.getTopologicalOrderStr()) {
            if (keep.contains(v) && !v.equals(input)) {
                // Vertex configurations carry their own layer settings and input preprocessors.
                gb.addVertex(v, conf.getVertices().get(v).clone(), conf.getVertexInputs().get(v).toArray(String[]::new));
            }
        }
        ComputationGraph cut = new ComputationGraph(gb.setOutputs(vertex).build());
        cut.init();
        for (var layer : cut.getLayers()) {
            String layerName = layer.conf().getLayer().getLayerName();
            if (layer.numParams() > 0) {
                layer.setParams(graph.getLayer(layerName).params().dup());
            }
        }
        return new Backbone(name, cut, vertex, inputSize, weights, preprocessing, gradCamLayer);
    }

    /** Identity of this base for cache keys: model, weights, input size. */
    public String cacheIdentity() {
        return name + "|" + weights.kind() + ":" + weights.detail() + "|" + inputSize;
    }
}
