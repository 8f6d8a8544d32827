package org.pneumolab.detect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pneumolab.image.Normalization;
import org.pneumolab.weights.ImagenetWeights;
import org.pneumolab.weights.KerasFile;
import org.pneumolab.weights.KerasH5;
import org.pneumolab.weights.WeightStore;

/**
 * ImageNet ResNet50 weights into a SameDiff backbone built with {@link BackboneSpec#RESNET50}
 * (names as DL4J's zoo: {@code stem-cnn1}, {@code res2a_branch2a}, {@code bn2a_branch2a}, ...).
 * Sources, in order: Keras's {@code resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5} in
 * either naming (told apart by layer names, and by checksum when verified), then DL4J's zoo.
 * Convolutions keep Keras's {@code [kh, kw, in, out]}; each batch norm becomes the frozen affine
 * {@code scale = gamma / sqrt(var + eps)}, {@code shift = beta - mean * scale}, with the epsilon
 * of the file's Keras version (1.001e-5 for Keras 2.2.4+'s file, 1e-3 for the older one).
 */
public final class PretrainedResNet50 {
    /** Keras caffe preprocessing: BGR order, these means subtracted from 0..255 pixels. */
    static final double[] CAFFE_BGR_MEANS = {103.939, 116.779, 123.68};

    private PretrainedResNet50() {
    }

    /** The two namings Keras has written ResNet50 with. */
    enum Naming {
        /** Keras 2.2.4+ / keras-applications resnet_common: conv1_conv, conv2_block1_1_conv. */
        KERAS_2_2_4(1.001e-5),
        /** Multi-backend Keras <= 2.3.1's resnet50.py: conv1, bn_conv1, res2a_branch2a. */
        LEGACY(1e-3);

        final double eps;

        Naming(double eps) {
            this.eps = eps;
        }
    }

    /**
     * What the backbone's input is. {@code CAFFE}: three channels, Keras's caffe-preprocessed BGR
     * (no change to the weights). {@code GREY}: one channel normalised by {@code norm}
     * ({@code x = (v / 255 - m) / s}, the detectors' pipeline); the RGB filters are summed and the
     * preprocessing folded into the first convolution ({@code W' = 255 s sum_c W_c},
     * {@code b' = b + sum W_c (255 m - mean_c)}), exact except in the 3-pixel rim where Keras pads
     * zeros after mean subtraction and we pad x = 0 (a pixel of 255 m, within 11 of every mean).
     */
    record StemInput(int channels, Normalization norm) {
        static StemInput caffe() {
            return new StemInput(3, null);
        }

        static StemInput grey(Normalization norm) {
            return new StemInput(1, norm);
        }
    }

    /**
     * The detectors' entry: Keras's file (checksum verified) or the zoo; when neither loads,
     * {@link ImagenetWeights.MissingWeights} (a detector configured pretrained never starts silently
     * from random weights; choose random init with {@code pretrained(false)}).
     *
     * @return a sentence for the run log: which file and checksum were copied
     */
    public static String copyInto(SameDiff sd, int inChannels, Normalization norm, WeightStore store) throws IOException {
        StemInput stem = inChannels == 1 ? StemInput.grey(norm) : inChannels == 3 && norm == null ? StemInput.caffe() : null;
        if (stem == null) {
            throw new IllegalArgumentException("ImageNet ResNet50 needs a 1-channel normalised or 3-channel caffe input, got "
                    + inChannels + " channels with " + norm);
        }
        ImagenetWeights.Resolution keras = ImagenetWeights.resolve(KerasFile.RESNET50, store);
        if (keras.found()) {
            WeightStore.Verified v = keras.verified().get();
            KerasH5.Contents c = KerasH5.read(v.file());
            Naming naming = naming(c);
            Naming expected = v.variant() == KerasFile.RESNET50_LEGACY ? Naming.LEGACY : Naming.KERAS_2_2_4;
            if (naming != expected) {
                throw new IOException(v.file() + ": its checksum is the " + v.variant().layout()
                        + " file, but its layer names are " + naming);
            }
            int n = copy(fromKeras(c, naming), sd, stem, v.file().toString());
            return "IMAGENET: copied " + n + " layers from " + v.describe();
        }
        ComputationGraph zoo;
        ResNet50 model = ResNet50.builder().build();
        try {
            zoo = (ComputationGraph) model.initPretrained(PretrainedType.IMAGENET);
        } catch (Exception | Error e) {
            throw new ImagenetWeights.MissingWeights(ImagenetWeights.message(List.of(keras.whyNot()
                    + " (and DL4J's zoo ResNet50 failed: " + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"), store));
        }
        int n = copy(fromZoo(zoo), sd, stem, "DL4J zoo ResNet50");
        return "IMAGENET: copied " + n + " layers from the DL4J zoo ResNet50 " + model.pretrainedUrl(PretrainedType.IMAGENET)
                + " (adler32 " + model.pretrainedChecksum(PretrainedType.IMAGENET) + ", checked by the zoo)";
    }

    /** One source layer in our names: a convolution (kernel [kh,kw,in,out], bias) or a batch norm. */
    record Source(String kerasName, INDArray kernel, INDArray bias, INDArray gamma, INDArray beta, INDArray mean,
                  INDArray var, double eps) {
        boolean isConv() {
            return kernel != null;
        }
    }

    /** Tells the two namings apart by their stem's names; refuses any other file naming what it found. */
    static Naming naming(KerasH5.Contents c) throws IOException {
        var names = c.layers().keySet();
        if (names.contains("conv1_conv") && names.contains("conv1_bn")) {
            return Naming.KERAS_2_2_4;
        }
        if (names.contains("conv1") && names.contains("bn_conv1")) {
            return Naming.LEGACY;
        }
        throw new IOException(c.file() + ": not a Keras ResNet50 file: no conv1_conv/conv1_bn (Keras 2.2.4+) or "
                + "conv1/bn_conv1 (older Keras) layers; its first layers are "
                + names.stream().limit(6).toList());
    }

    /** Our layer name -> the Keras layer it comes from, for every layer of ResNet50. */
    static Map<String, String> kerasNames(Naming naming) {
        Map<String, String> m = new LinkedHashMap<>();
        boolean legacy = naming == Naming.LEGACY;
        m.put("stem-cnn1", legacy ? "conv1" : "conv1_conv");
        m.put("stem-batch1", legacy ? "bn_conv1" : "conv1_bn");
        List<Integer> blocks = BackboneSpec.RESNET50.blocks();
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < blocks.get(stage); b++) {
                String id = (stage + 2) + String.valueOf((char) ('a' + b));
                String k = "conv" + (stage + 2) + "_block" + (b + 1) + "_";
                for (int j = 0; j < 3; j++) {
                    char part = (char) ('a' + j);
                    m.put("res" + id + "_branch2" + part, legacy ? "res" + id + "_branch2" + part : k + (j + 1) + "_conv");
                    m.put("bn" + id + "_branch2" + part, legacy ? "bn" + id + "_branch2" + part : k + (j + 1) + "_bn");
                }
                if (b == 0) {
                    m.put("res" + id + "_branch1", legacy ? "res" + id + "_branch1" : k + "0_conv");
                    m.put("bn" + id + "_branch1", legacy ? "bn" + id + "_branch1" : k + "0_bn");
                }
            }
        }
        return m;
    }

    static Map<String, Source> fromKeras(KerasH5.Contents c, Naming naming) throws IOException {
        Map<String, Source> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (var e : kerasNames(naming).entrySet()) {
            String ours = e.getKey();
            String theirs = e.getValue();
            List<KerasH5.Weight> w = c.layers().get(theirs);
            if (w == null || w.isEmpty()) {
                missing.add(theirs);
                continue;
            }
            boolean conv = !ours.startsWith("bn") && !ours.equals("stem-batch1");
            if (conv) {
                if (w.size() != 2) {
                    throw new IOException(c.file() + ": layer " + theirs + " has " + w.size() + " weights, a convolution with bias has 2");
                }
                out.put(ours, new Source(theirs, w.get(0).value(), w.get(1).value(), null, null, null, null, 0));
            } else {
                // Keras's BatchNormalization weights in weight_names order: gamma, beta, moving mean, moving variance
                if (w.size() != 4) {
                    throw new IOException(c.file() + ": layer " + theirs + " has " + w.size() + " weights, a batch norm has 4");
                }
                out.put(ours, new Source(theirs, null, null, w.get(0).value(), w.get(1).value(), w.get(2).value(),
                        w.get(3).value(), naming.eps));
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException(c.file() + ": no weights for ResNet50 layers " + missing);
        }
        return out;
    }

    static Map<String, Source> fromZoo(ComputationGraph zoo) {
        Map<String, Source> out = new LinkedHashMap<>();
        for (var layer : zoo.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Map<String, INDArray> p = layer.paramTable();
            if (layer.conf().getLayer() instanceof BatchNormalization bn) {
                out.put(name, new Source(name, null, null, p.get("gamma").reshape(-1), p.get("beta").reshape(-1),
                        p.get("mean").reshape(-1), p.get("var").reshape(-1), bn.getEps()));
            } else if (p.containsKey("W") && p.get("W").rank() == 4) {
                out.put(name, new Source(name, p.get("W").permute(2, 3, 1, 0), p.containsKey("b") ? p.get("b").reshape(-1) : null,
                        null, null, null, null, 0));
            }
        }
        return out;
    }

    /** Copies every backbone layer from {@code src}; a backbone layer without a source, or a shape mismatch, is an error. */
    static int copy(Map<String, Source> src, SameDiff sd, StemInput stem, String from) throws IOException {
        int copied = 0;
        for (var e : kerasNames(Naming.LEGACY).keySet()) {
            Source s = src.get(e);
            if (s == null) {
                throw new IOException(from + ": no weights for backbone layer " + e);
            }
            if (s.isConv()) {
                INDArray w = s.kernel().castTo(sd.getVariable(e + "_W").dataType());
                INDArray b = s.bias() == null ? Nd4j.zeros(w.dataType(), w.size(3)) : s.bias().reshape(-1).castTo(w.dataType());
                if (e.equals("stem-cnn1") && stem.channels() == 1) {
                    double m = stem.norm().mean(0, 1);
                    double sd1 = stem.norm().std(0, 1);
                    INDArray bias = b.dup();
                    for (int c = 0; c < 3; c++) {
                        // sum over kh, kw of W[:, :, c, o] * (255 m - mean_c)
                        INDArray wc = w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.point(c), org.nd4j.linalg.indexing.NDArrayIndex.all());
                        bias.addi(wc.sum(0, 1).mul(255 * m - CAFFE_BGR_MEANS[c]));
                    }
                    w = w.sum(true, 2).mul(255 * sd1);
                    b = bias;
                }
                check(from, s.kerasName(), e + "_W", sd.getVariable(e + "_W").getArr(), w);
                sd.getVariable(e + "_W").getArr().assign(w);
                check(from, s.kerasName(), e + "_b", sd.getVariable(e + "_b").getArr(), b);
                sd.getVariable(e + "_b").getArr().assign(b);
            } else {
                INDArray gamma = s.gamma().reshape(-1);
                INDArray scale = gamma.div(Transforms.sqrt(s.var().reshape(-1).add(s.eps())));
                INDArray shift = s.beta().reshape(-1).sub(s.mean().reshape(-1).mul(scale));
                INDArray target = sd.getVariable(e + "_scale").getArr();
                check(from, s.kerasName(), e + "_scale", target.reshape(-1), scale);
                target.assign(scale.reshape(target.shape()));
                INDArray shiftTarget = sd.getVariable(e + "_shift").getArr(); // its own shape: [C] when frozen
                shiftTarget.assign(shift.reshape(shiftTarget.shape()));
            }
            copied++;
        }
        Nd4j.getExecutioner().commit();
        return copied;
    }

    private static void check(String from, String kerasLayer, String var, INDArray target, INDArray value) throws IOException {
        if (!java.util.Arrays.equals(target.shape(), value.shape())) {
            throw new IOException(from + ": layer " + kerasLayer + " has shape " + java.util.Arrays.toString(value.shape())
                    + ", the backbone's " + var + " is " + java.util.Arrays.toString(target.shape()));
        }
    }
}
