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
import org.nd4j.linalg.factory.Nd4j;
import org.pneumolab.io.Digests;

/**
 * An InceptionV3 classifier (75 px, random init, cut at max_pooling2d_2, standardising head set
 * from real activations) survives the round trip through its run folder: same scores, same
 * settings. A folder whose head belongs to another model is refused, naming the head file, even
 * with its digest recorded to match.
 */
class SavedClassifierTest {
    private static INDArray pixels(long seed, int n, int size) {
        java.util.Random rnd = new java.util.Random(seed);
        float[] v = new float[n * size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(256);
        }
        return Nd4j.create(v, new long[]{n, 1, size, size}, 'c');
    }

    private static TransferModel inception(long seed) throws IOException {
        Backbone b = Backbones.inceptionV3(75, seed, Optional.empty()).cutAt("max_pooling2d_2", "activation_5");
        TransferModel m = TransferModel.create(b, ClassWeights.published(), 1e-4, FeatureScaling.STANDARDIZE, seed);
        Head.standardizeWith(m.head(), FeatureStatistics.of(Featurizer.bottleneck(b).activations(pixels(seed, 6, 75))));
        return m;
    }

    @Test
    void inceptionRoundTripsThroughItsRunFolder(@TempDir Path tmp) throws Exception {
        TransferModel m = inception(7);
        Path dir = SavedClassifier.save(m, "InceptionV3 frozen", 0.3, "chosen for the test", tmp.resolve("inc"));
        SavedClassifier back = SavedClassifier.load(dir);
        INDArray x = pixels(8, 4, 75);
        double[] expected = m.scores(x);
        assertArrayEquals(expected, back.scores(x), 1e-6);
        assertTrue(Math.abs(expected[0] - expected[1]) + Math.abs(expected[2] - expected[3]) > 0,
                "scores differ between images: " + java.util.Arrays.toString(expected));
        assertEquals(0.3, back.threshold());
        assertEquals("PNEUMONIA", back.label(0.3));
        assertEquals("NORMAL", back.label(0.2999));
        assertEquals("chosen for the test", back.thresholdSource());
        assertEquals(ClassWeights.published(), back.model().classWeights());
        assertEquals(FeatureScaling.STANDARDIZE, back.model().featureScaling());
        assertEquals("max_pooling2d_2", back.model().backbone().outputVertex());
        assertEquals("activation_5", back.model().backbone().gradCamLayer());
        assertEquals(m.backbone().weights(), back.model().backbone().weights());
        assertEquals(7, back.model().seed());
        assertEquals("75x75/AREA/stretch", back.pipeline().resizeKey());
    }

    @Test
    void aHeadOfAnotherModelIsRefusedNamingTheHeadFile(@TempDir Path tmp) throws Exception {
        Path dir = SavedClassifier.save(inception(7), "InceptionV3", 0.5, "test", tmp.resolve("inc"));
        Backbone vgg = Backbones.vgg16(32, 7).cutAt("block2_pool", "block2_conv2");
        Path other = SavedClassifier.save(TransferModel.create(vgg, ClassWeights.none(), 1e-4, FeatureScaling.STANDARDIZE, 7), "VGG16", 0.5, "test",
                tmp.resolve("vgg"));
        Path head = dir.resolve(SavedClassifier.HEAD);
        Files.copy(other.resolve(SavedClassifier.HEAD), head, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // record the new head's digest too: the folder is consistent file by file, not as a model
        Path json = dir.resolve(SavedClassifier.CONFIG);
        String otherDigest = sha256(tmp.resolve("vgg").resolve(SavedClassifier.HEAD));
        String text = Files.readString(json).replaceAll("(\"head\\.zip\": \")[0-9a-f]+", "$1" + otherDigest);
        Files.writeString(json, text);
        IOException e = assertThrows(IOException.class, () -> SavedClassifier.load(dir));
        assertTrue(e.getMessage().startsWith(head.toString()) && e.getMessage().contains("activations"), e.getMessage());
    }

    private static String sha256(Path f) throws IOException {
        return Digests.sha256Hex(Files.readAllBytes(f));
    }
}
