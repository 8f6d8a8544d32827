package org.pneumolab.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ImageNet bases of the published study, without their tops, always reporting which weights they
 * carry ({@link WeightsSource}).
 */
public final class Backbones {
    private static final Logger LOG = LoggerFactory.getLogger(Backbones.class);

    /** Keras's names of VGG16's first 18 layers, in order; DL4J's zoo init() calls them "0".."17". */
    public static final List<String> VGG16_LAYERS = List.of(
            "block1_conv1", "block1_conv2", "block1_pool",
            "block2_conv1", "block2_conv2", "block2_pool",
            "block3_conv1", "block3_conv2", "block3_conv3", "block3_pool",
            "block4_conv1", "block4_conv2", "block4_conv3", "block4_pool",
            "block5_conv1", "block5_conv2", "block5_conv3", "block5_pool");
    public static final String INCEPTION_WEIGHTS_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5";

    private Backbones() {
    }

    /**
     * VGG16 up to block5_pool from DL4J's zoo: ImageNet weights via initPretrained() when they
     * can be had (downloaded, or placed by hand in ~/.deeplearning4j/models/), otherwise the
     * zoo's random init with {@code seed}. Layers carry Keras's names either way.
     */
    public static Backbone vgg16(int inputSize, long seed) {
        if (inputSize < 32) {
            throw new IllegalArgumentException("VGG16 needs an input of at least 32 px (five 2x2 pools), got " + inputSize);
        }
        VGG16 zoo = VGG16.builder().numClasses(1000).seed(seed).inputShape(new int[]{3, inputSize, inputSize}).build();
        ComputationGraph source;
        WeightsSource weights;
        try {
            source = (ComputationGraph) zoo.initPretrained(PretrainedType.IMAGENET);
            weights = WeightsSource.imagenet("DL4J zoo VGG16 " + zoo.pretrainedUrl(PretrainedType.IMAGENET));
        } catch (IOException | RuntimeException e) {
            LOG.warn("VGG16 ImageNet weights unavailable ({}); using random init, seed {}", e.toString(), seed);
            source = zoo.init();
            weights = WeightsSource.random("zoo VGG16 architecture, He-normal init, seed " + seed
                    + "; ImageNet weights unavailable: " + e);
        }
        ComputationGraph base = vgg16Base(source, inputSize, seed, !weights.pretrained());
        return new Backbone("vgg16", base, "block5_pool", inputSize, weights,
                weights.pretrained() ? Preprocessing.CAFFE : Preprocessing.RESCALE_0_1, "block5_conv3");
    }

    /**
     * Copies the first 18 layers of a zoo VGG16 (random "0".."17" or pretrained Keras-named) into a
     * graph named like Keras's, with input {@code inputSize}; the dense top is dropped.
     */
    /**
     * @param heInit re-initialise the convolutions He-normal instead of copying the zoo's random
     *               weights: those shrink activations to ~1e-4 by block5_pool (measured on
     *               0..1 inputs), which leaves a random base's features and gradients near zero
     */
    static ComputationGraph vgg16Base(ComputationGraph zooGraph, int inputSize, long seed, boolean heInit) {
        List<String> order = zooGraph.getConfiguration().getTopologicalOrderStr();
        String zooInput = zooGraph.getConfiguration().getNetworkInputs().get(0);
        List<String> layers = order.stream().filter(n -> !n.equals(zooInput)).limit(VGG16_LAYERS.size()).toList();
        GraphBuilder gb = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1")
                .setInputTypes(InputType.convolutional(inputSize, inputSize, 3));
        String prev = "input_1";
        for (int i = 0; i < layers.size(); i++) {
            var v = zooGraph.getConfiguration().getVertices().get(layers.get(i));
            if (!(v instanceof LayerVertex lv)) {
                throw new IllegalStateException("zoo VGG16: vertex " + layers.get(i) + " is not a layer");
            }
            Layer conf = lv.getLayerConf().getLayer().clone();
            conf.setLayerName(VGG16_LAYERS.get(i));
            if (heInit && conf instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) {
                b.setWeightInitFn(new org.deeplearning4j.nn.weights.WeightInitRelu());
            }
            gb.addLayer(VGG16_LAYERS.get(i), conf, prev);
            prev = VGG16_LAYERS.get(i);
        }
        ComputationGraph base = new ComputationGraph(gb.setOutputs(prev).build());
        base.init();
        for (int i = 0; i < layers.size() && !heInit; i++) {
            var from = zooGraph.getLayer(layers.get(i));
            if (from.numParams() > 0) {
                base.getLayer(VGG16_LAYERS.get(i)).setParams(from.params().dup());
            }
        }
        return base;
    }

    /** InceptionV3 (notop) with Keras's ImageNet weights when the file is found, else random init. */
    public static Backbone inceptionV3(int inputSize, long seed) throws IOException {
        return inceptionV3(inputSize, seed, findInceptionWeights());
    }

    /** As above with an explicit weight file (empty: random init with {@code seed}). */
    public static Backbone inceptionV3(int inputSize, long seed, Optional<Path> weightFile) throws IOException {
        ComputationGraph graph = new ComputationGraph(InceptionV3Graph.configuration(inputSize, seed));
        graph.init();
        WeightsSource weights;
        if (weightFile.isPresent()) {
            KerasWeights.Report report = KerasWeights.load(weightFile.get(), graph);
            if (!report.complete()) {
                throw new IOException(weightFile.get() + ": no weights for layers " + report.graphLayersWithoutWeights());
            }
            weights = WeightsSource.imagenet(weightFile.get().toAbsolutePath().toString());
        } else {
            weights = WeightsSource.random("InceptionV3 random init, seed " + seed + "; no " + INCEPTION_WEIGHTS_FILE
                    + " in $PNEUMO_WEIGHTS or ~/.keras/models/");
            LOG.warn("InceptionV3 ImageNet weights not found; using random init, seed {}", seed);
        }
        return new Backbone("inception_v3", graph, InceptionV3Graph.OUTPUT, inputSize, weights,
                weights.pretrained() ? Preprocessing.TF : Preprocessing.RESCALE_0_1, InceptionV3Graph.OUTPUT);
    }

    /** PNEUMO_WEIGHTS (the file, or a folder holding it), then ~/.keras/models/. */
    public static Optional<Path> findInceptionWeights() {
        String env = System.getenv("PNEUMO_WEIGHTS");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            Path candidate = Files.isDirectory(p) ? p.resolve(INCEPTION_WEIGHTS_FILE) : p;
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path keras = Path.of(System.getProperty("user.home"), ".keras", "models", INCEPTION_WEIGHTS_FILE);
        return Files.isRegularFile(keras) ? Optional.of(keras) : Optional.empty();
    }
}
