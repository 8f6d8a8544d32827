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
import org.pneumolab.weights.ImagenetWeights;
import org.pneumolab.weights.KerasFile;
import org.pneumolab.weights.WeightStore;
import org.pneumolab.weights.WeightsChoice;
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
    public static final String INCEPTION_WEIGHTS_FILE = KerasFile.INCEPTION_V3.fileName();

    private Backbones() {
    }

    /** VGG16 with {@link WeightsChoice#AVAILABLE}: ImageNet weights when found, random init otherwise. */
    public static Backbone vgg16(int inputSize, long seed) {
        try {
            return vgg16(inputSize, seed, WeightsChoice.AVAILABLE, WeightStore.standard());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * VGG16 up to block5_pool, layers named as Keras names them. Weights, in order: Keras's
     * {@link KerasFile#VGG16} (found in {@code store}, checksum verified), else DL4J's zoo
     * (initPretrained: downloaded, or placed by hand in ~/.deeplearning4j/models/vgg16/), else
     * random init with {@code seed} (He-normal) -- which {@link WeightsChoice#IMAGENET} refuses
     * with {@link ImagenetWeights.MissingWeights}. Both ImageNet sources take Keras's "caffe"
     * preprocessing: the zoo's file is Keras's VGG16 converted.
     */
    public static Backbone vgg16(int inputSize, long seed, WeightsChoice choice, WeightStore store) throws IOException {
        if (inputSize < 32) {
            throw new IllegalArgumentException("VGG16 needs an input of at least 32 px (five 2x2 pools), got " + inputSize);
        }
        VGG16 zoo = VGG16.builder().numClasses(1000).seed(seed).inputShape(new int[]{3, inputSize, inputSize}).build();
        if (choice == WeightsChoice.RANDOM) {
            return vggRandom(zoo, inputSize, seed, "random init on purpose (WeightsChoice.RANDOM), He-normal, seed " + seed);
        }
        ImagenetWeights.Resolution keras = ImagenetWeights.resolve(KerasFile.VGG16, store);
        if (keras.found()) {
            return vgg16FromKeras(inputSize, seed, keras.verified().get().file(), keras.verified().get().describe());
        }
        try {
            ComputationGraph source = (ComputationGraph) zoo.initPretrained(PretrainedType.IMAGENET);
            WeightsSource weights = WeightsSource.imagenet("DL4J zoo VGG16 " + zoo.pretrainedUrl(PretrainedType.IMAGENET)
                    + " (adler32 " + zoo.pretrainedChecksum(PretrainedType.IMAGENET) + ", checked by the zoo)");
            return new Backbone("vgg16", vgg16Base(source, inputSize, seed, false), "block5_pool", inputSize, weights,
                    Preprocessing.CAFFE, "block5_conv3");
        } catch (IOException | RuntimeException e) {
            if (choice == WeightsChoice.IMAGENET) {
                throw new ImagenetWeights.MissingWeights(ImagenetWeights.message(List.of(keras.whyNot()
                        + " (and DL4J's zoo VGG16 failed: " + e.getMessage() + ")"), store));
            }
            LOG.warn("VGG16 ImageNet weights unavailable ({}; zoo: {}); using random init, seed {}", keras.whyNot(), e.toString(), seed);
            return vggRandom(zoo, inputSize, seed, "He-normal random init, seed " + seed + "; ImageNet weights unavailable: "
                    + keras.whyNot() + "; DL4J zoo: " + e.getMessage());
        }
    }

    private static Backbone vggRandom(VGG16 zoo, int inputSize, long seed, String why) {
        WeightsSource weights = WeightsSource.random(why);
        return new Backbone("vgg16", vgg16Base(zoo.init(), inputSize, seed, true), "block5_pool", inputSize, weights,
                Preprocessing.RESCALE_0_1, "block5_conv3");
    }

    /**
     * VGG16 with the weights of a Keras VGG16 file (either layout; {@link KerasWeights}), without a
     * checksum check: the caller verified it, or it is a test's file. Every convolution must
     * get weights, else the file is refused naming the layers it lacks.
     */
    public static Backbone vgg16FromKeras(int inputSize, long seed, Path file, String detail) throws IOException {
        VGG16 zoo = VGG16.builder().numClasses(1000).seed(seed).inputShape(new int[]{3, inputSize, inputSize}).build();
        ComputationGraph base = vgg16Base(zoo.init(), inputSize, seed, false);
        KerasWeights.Report report = KerasWeights.load(file, base);
        if (!report.complete()) {
            throw new IOException(file + ": no weights for layers " + report.graphLayersWithoutWeights());
        }
        return new Backbone("vgg16", base, "block5_pool", inputSize, WeightsSource.imagenet(detail), Preprocessing.CAFFE,
                "block5_conv3");
    }

    /**
     * Copies the first 18 layers of a zoo VGG16 (random "0".."17" or pretrained Keras-named) into a
     * graph named like Keras's, with input {@code inputSize}; the dense top is dropped.
     *
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

    /** InceptionV3 with {@link WeightsChoice#AVAILABLE}. */
    public static Backbone inceptionV3(int inputSize, long seed) throws IOException {
        return inceptionV3(inputSize, seed, WeightsChoice.AVAILABLE, WeightStore.standard());
    }

    /**
     * InceptionV3 (notop) with Keras's {@link KerasFile#INCEPTION_V3} when found and its checksum
     * matches; otherwise random init with {@code seed}, which {@link WeightsChoice#IMAGENET} refuses.
     */
    public static Backbone inceptionV3(int inputSize, long seed, WeightsChoice choice, WeightStore store) throws IOException {
        if (choice == WeightsChoice.RANDOM) {
            return inceptionV3(inputSize, seed, Optional.empty(), "random init on purpose (WeightsChoice.RANDOM), seed " + seed);
        }
        ImagenetWeights.Resolution r = ImagenetWeights.require(choice, store, List.of(KerasFile.INCEPTION_V3)).get(0);
        if (r.found()) {
            return inceptionV3(inputSize, seed, Optional.of(r.verified().get().file()), r.verified().get().describe());
        }
        LOG.warn("InceptionV3 ImageNet weights unavailable ({}); using random init, seed {}", r.whyNot(), seed);
        return inceptionV3(inputSize, seed, Optional.empty(), "InceptionV3 random init, seed " + seed + "; " + r.whyNot());
    }

    /** As above with an explicit weight file, not checksum-checked (empty: random init with {@code seed}). */
    public static Backbone inceptionV3(int inputSize, long seed, Optional<Path> weightFile) throws IOException {
        return inceptionV3(inputSize, seed, weightFile, weightFile.isPresent()
                ? weightFile.get().toAbsolutePath() + " (checksum not checked)"
                : "InceptionV3 random init, seed " + seed + "; no weight file given");
    }

    private static Backbone inceptionV3(int inputSize, long seed, Optional<Path> weightFile, String detail) throws IOException {
        ComputationGraph graph = new ComputationGraph(InceptionV3Graph.configuration(inputSize, seed));
        graph.init();
        WeightsSource weights;
        if (weightFile.isPresent()) {
            KerasWeights.Report report = KerasWeights.load(weightFile.get(), graph);
            if (!report.complete()) {
                throw new IOException(weightFile.get() + ": no weights for layers " + report.graphLayersWithoutWeights());
            }
            weights = WeightsSource.imagenet(detail);
        } else {
            weights = WeightsSource.random(detail);
        }
        return new Backbone("inception_v3", graph, InceptionV3Graph.OUTPUT, inputSize, weights,
                weights.pretrained() ? Preprocessing.TF : Preprocessing.RESCALE_0_1, InceptionV3Graph.OUTPUT);
    }
}
