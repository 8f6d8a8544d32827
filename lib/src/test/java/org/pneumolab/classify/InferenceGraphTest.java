package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.classify.study.StudyConfig;

/**
 * The folded inference graph computes the same features as the original base, at every layer the
 * studies read (the sample and paper profiles' feature layers, fine-tuning inputs and Grad-CAM
 * layers), in both layouts, within 1e-4 relative L2 error. Batch norms get random statistics
 * first: with the defaults (mean 0, var 1, gamma 1, beta 0) folding would be nearly the identity
 * and prove nothing.
 */
class InferenceGraphTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void inceptionSampleLayersMatchInBothLayouts() throws Exception {
        Backbone base = Backbones.inceptionV3(75, 11, Optional.empty());
        randomiseBatchNorms(base.graph(), 3);
        INDArray x = base.preprocessing().apply(Nd4j.rand(DataType.FLOAT, 2, 3, 75, 75).muli(255));
        for (String layer : List.of(StudyConfig.INCEPTION_SHALLOW.features(), StudyConfig.INCEPTION_SHALLOW.gradCam(),
                "mixed0", StudyConfig.INCEPTION_PUBLISHED.features())) {
            for (CNN2DFormat layout : CNN2DFormat.values()) {
                assertMatches(base, layer, layout, x);
            }
        }
    }

    @Test
    void inceptionPaperSizeMatchesAtMixed10() throws Exception {
        Backbone base = Backbones.inceptionV3(299, 12, Optional.empty());
        randomiseBatchNorms(base.graph(), 4);
        INDArray x = base.preprocessing().apply(Nd4j.rand(DataType.FLOAT, 1, 3, 299, 299).muli(255));
        InferenceGraph folded = assertMatches(base, StudyConfig.INCEPTION_PUBLISHED.features(), InferenceGraph.DEFAULT_LAYOUT, x);
        assertEquals(94, folded.foldedChains(), "every conv2d_bn block of InceptionV3 is folded");
        assertFalse(folded.has("conv2d_1"));
        assertFalse(folded.has("batch_normalization_94"));
        assertTrue(folded.has("activation_94"));
        assertTrue(folded.has("mixed9_1"));
    }

    @Test
    void vggLayersOfBothProfilesMatch() {
        for (int size : new int[] {64, 150}) {
            Backbone base = Backbones.vgg16(size, 13);
            INDArray x = base.preprocessing().apply(Nd4j.rand(DataType.FLOAT, 2, 3, size, size).muli(255));
            for (String layer : List.of(StudyConfig.VGG16_SHALLOW.features(), StudyConfig.VGG16_SHALLOW.gradCam(),
                    "block3_conv2", StudyConfig.VGG16_PUBLISHED.features(), StudyConfig.VGG16_PUBLISHED.gradCam(), "block5_conv2")) {
                InferenceGraph g = assertMatches(base, layer, CNN2DFormat.NHWC, x);
                assertEquals(0, g.foldedChains(), "VGG16 has no batch norms to fold");
            }
        }
    }

    /**
     * The study computes VGG16's block5_pool from its cached block5_conv2 activations
     * (KermanyStudy#features): block5_conv3 and the pool on the cache give the very features one
     * pass of the whole base gives, bit for bit, batch by batch at the paper size.
     */
    @Test
    void vggBlock5PoolFromCachedBlock5Conv2IsTheDirectPassBitForBit() {
        Backbone base = Backbones.vgg16(150, 17);
        InferenceGraph tail = InferenceGraph.after(base, "block5_conv2");
        InferenceGraph conv2 = InferenceGraph.of(base, "block5_conv2");
        InferenceGraph pool = InferenceGraph.of(base, "block5_pool");
        for (int batch : new int[] {4, 1}) {
            INDArray x = base.preprocessing().apply(Nd4j.rand(DataType.FLOAT, batch, 3, 150, 150).muli(255));
            INDArray direct = pool.output(x);
            INDArray derived = tail.output(conv2.output(x));
            assertArrayEquals(direct.shape(), derived.shape());
            assertTrue(direct.norm2Number().doubleValue() > 0, "all-zero features prove nothing");
            assertArrayEquals(direct.dup('c').data().asFloat(), derived.dup('c').data().asFloat(), 0f,
                    "batch " + batch + ": block5_pool from the block5_conv2 cache");
        }
        // the sample profile's cut: block3_pool from block3_conv2 at 64 px
        Backbone sample = Backbones.vgg16(64, 18).cutAt(StudyConfig.VGG16_SHALLOW.features(), StudyConfig.VGG16_SHALLOW.gradCam());
        String from = "block3_conv2";
        INDArray x = sample.preprocessing().apply(Nd4j.rand(DataType.FLOAT, 3, 3, 64, 64).muli(255));
        INDArray direct = InferenceGraph.of(sample, sample.outputVertex()).output(x);
        INDArray derived = InferenceGraph.after(sample, from).output(InferenceGraph.of(sample, from).output(x));
        assertTrue(direct.norm2Number().doubleValue() > 0, "all-zero features prove nothing");
        assertArrayEquals(direct.dup('c').data().asFloat(), derived.dup('c').data().asFloat(), 0f,
                sample.outputVertex() + " from the " + from + " cache");
    }

    @Test
    void aCutWithNoPlainChainAfterItIsRefused() throws Exception {
        Backbone base = Backbones.inceptionV3(75, 11, Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> InferenceGraph.after(base, "mixed9"));
    }

    @Test
    void featurizerExtractUsesTheFoldedGraphAndKeepsShapes() throws Exception {
        Backbone base = Backbones.inceptionV3(75, 14, Optional.empty());
        randomiseBatchNorms(base.graph(), 5);
        INDArray pixels = Nd4j.rand(DataType.FLOAT, 5, 3, 75, 75).muli(255);
        INDArray labels = FeatureSet.oneHot(new int[] {0, 1, 0, 1, 1});
        var it = new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                new org.nd4j.linalg.dataset.DataSet(pixels, labels).asList(), 2);
        Featurizer f = new Featurizer(base, "mixed0");
        FeatureSet fast = f.extract(it, 5, "test");
        INDArray reference = f.activations(pixels);
        assertArrayEquals(reference.shape(), fast.features().shape());
        assertTrue(relativeError(fast.features(), reference) < TOLERANCE);
        assertEquals(labels, fast.labels());
    }

    private static InferenceGraph assertMatches(Backbone base, String layer, CNN2DFormat layout, INDArray x) {
        InferenceGraph g = InferenceGraph.of(base, layer, layout);
        INDArray expected = base.cutAt(layer, layer).graph().outputSingle(false, x).dup();
        INDArray got = g.output(x);
        assertArrayEquals(expected.shape(), got.shape(), layer + " " + layout);
        double err = relativeError(got, expected);
        assertTrue(expected.norm2Number().doubleValue() > 0, layer + ": all-zero reference proves nothing");
        assertTrue(err < TOLERANCE, layer + " " + layout + ": relative L2 error " + err);
        return g;
    }

    static double relativeError(INDArray a, INDArray b) {
        INDArray ad = a.castTo(DataType.DOUBLE);
        INDArray bd = b.castTo(DataType.DOUBLE);
        return ad.sub(bd).norm2Number().doubleValue() / bd.norm2Number().doubleValue();
    }

    /** Seeded BN statistics and affine parameters far from the identity. */
    static void randomiseBatchNorms(ComputationGraph g, long seed) {
        Random r = new Random(seed);
        for (var layer : g.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                for (String key : List.of(BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.BETA,
                        BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                    INDArray p = layer.getParam(key);
                    double[] v = new double[(int) p.length()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = switch (key) {
                            case BatchNormalizationParamInitializer.GAMMA -> 0.5 + r.nextDouble();
                            case BatchNormalizationParamInitializer.GLOBAL_VAR -> 0.2 + 2 * r.nextDouble();
                            default -> 0.3 * r.nextGaussian();
                        };
                    }
                    p.assign(Nd4j.create(v, p.shape(), DataType.DOUBLE).castTo(p.dataType()));
                }
            }
        }
    }
}
