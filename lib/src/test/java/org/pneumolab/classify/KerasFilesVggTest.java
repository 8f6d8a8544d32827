package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pneumolab.weights.KerasFiles;

/**
 * VGG16 from Keras files with random values in both real layouts (the Keras 1 notop file Keras
 * still downloads, and Keras 2's), through our preprocessing and graph, against an independent
 * numpy VGG16 computing from the same file (keras_files.py): block3_pool (the sample profile's
 * cut) and block5_pool (the paper's) within 1e-4 relative L2. Then the refusals: a layer missing,
 * a layer of the wrong shape, a truncated file, each named. InceptionV3 likewise against a numpy
 * InceptionV3 built from Keras's definition.
 */
class KerasFilesVggTest {
    private static final int SIZE = 32; // the smallest input VGG16 and ResNet50 take: keeps the check to seconds

    private static void matches(String kind, Path dir) throws Exception {
        KerasFiles.make(kind, SIZE, dir);
        Path file = dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
        Backbone vgg = Backbones.vgg16FromKeras(SIZE, 1, file, "test file");
        assertEquals(Preprocessing.CAFFE, vgg.preprocessing());
        INDArray x = vgg.preprocessing().apply(KerasFiles.array(dir, "x"));
        for (String layer : new String[]{"block3_pool", "block5_pool"}) {
            Backbone cut = vgg.cutAt(layer, layer.replace("pool", "conv3"));
            INDArray ours = cut.graph().outputSingle(false, x);
            INDArray ref = KerasFiles.array(dir, layer);
            assertArrayEquals(ref.shape(), ours.shape(), layer);
            double err = KerasFiles.relativeL2(ours, ref);
            assertTrue(err < 1e-4, kind + " " + layer + ": relative L2 " + err);
        }
    }

    @Test
    void keras1NotopLayoutMatchesNumpyVgg16(@TempDir Path dir) throws Exception {
        matches("vgg16-k1", dir);
    }

    @Test
    void keras2LayoutMatchesNumpyVgg16AndBadFilesAreRefusedByName(@TempDir Path dir) throws Exception {
        matches("vgg16-k2", dir);
        Path good = dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");

        Path dropped = KerasFiles.mutate(good, "drop", "block3_conv2", dir.resolve("dropped.h5"));
        IOException e1 = assertThrows(IOException.class, () -> Backbones.vgg16FromKeras(32, 1, dropped, "t"));
        assertTrue(e1.getMessage().contains("dropped.h5") && e1.getMessage().contains("block3_conv2"), e1.getMessage());

        Path reshaped = KerasFiles.mutate(good, "reshape", "block4_conv1", dir.resolve("reshaped.h5"));
        IOException e2 = assertThrows(IOException.class, () -> Backbones.vgg16FromKeras(32, 1, reshaped, "t"));
        assertTrue(e2.getMessage().contains("reshaped.h5") && e2.getMessage().contains("block4_conv1")
                && e2.getMessage().contains("shape"), e2.getMessage());

        Path truncated = dir.resolve("truncated.h5");
        byte[] all = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e3 = assertThrows(IOException.class, () -> Backbones.vgg16FromKeras(32, 1, truncated, "t"));
        assertTrue(e3.getMessage().contains("truncated.h5"), e3.getMessage());
    }

    /**
     * InceptionV3's Keras 2 layout (BN without gamma: three weights), written from Keras's own
     * definition by the reference: max_pooling2d_2 (the sample profile's cut) and mixed10 (the
     * paper's) within 1e-4 relative L2, through our "tf" preprocessing.
     */
    @Test
    void inceptionV3MatchesNumpyInceptionV3(@TempDir Path dir) throws Exception {
        int size = 75; // InceptionV3's smallest input
        KerasFiles.make("inception_v3", size, dir);
        Path file = dir.resolve("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5");
        Backbone inc = Backbones.inceptionV3(size, 1, Optional.of(file));
        assertTrue(inc.weights().pretrained());
        assertEquals(Preprocessing.TF, inc.preprocessing());
        INDArray x = inc.preprocessing().apply(KerasFiles.array(dir, "x"));
        for (String[] cut : new String[][]{{"max_pooling2d_2", "activation_5"}, {"mixed10", "mixed10"}}) {
            INDArray ours = inc.cutAt(cut[0], cut[1]).graph().outputSingle(false, x);
            INDArray ref = KerasFiles.array(dir, cut[0]);
            assertArrayEquals(ref.shape(), ours.shape(), cut[0]);
            double err = KerasFiles.relativeL2(ours, ref);
            assertTrue(err < 1e-4, "inception_v3 " + cut[0] + ": relative L2 " + err);
        }
    }
}
