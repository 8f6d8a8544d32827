package org.pneumolab.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pneumolab.runtime.Profile;

/**
 * The paper profile never starts silently from random weights: with files missing or bad,
 * IMAGENET stops with one message naming each file, the fetch command and the RANDOM knob; the
 * sample profile's AVAILABLE goes on and says why; RANDOM looks for nothing.
 */
class ImagenetWeightsTest {
    @Test
    void paperStopsWithOneActionableMessage(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(KerasFile.VGG16.fileName()), new byte[10]);
        WeightStore store = WeightStore.in(dir);
        assertEquals(WeightsChoice.IMAGENET, WeightsChoice.forProfile(Profile.PAPER));
        var e = assertThrows(ImagenetWeights.MissingWeights.class, () -> ImagenetWeights.require(
                WeightsChoice.forProfile(Profile.PAPER), store, List.of(KerasFile.VGG16, KerasFile.INCEPTION_V3)));
        String m = e.getMessage();
        assertTrue(m.contains(KerasFile.VGG16.fileName()) && m.contains(KerasFile.VGG16.md5()), m);
        assertTrue(m.contains(KerasFile.INCEPTION_V3.fileName() + " not found"), m);
        assertTrue(m.contains("bin/pneumo weights") && m.contains("WeightsChoice.RANDOM") && m.contains(dir.toString()), m);
    }

    @Test
    void sampleGoesOnSayingWhyAndRandomLooksForNothing(@TempDir Path dir) throws Exception {
        WeightStore store = WeightStore.in(dir);
        assertEquals(WeightsChoice.AVAILABLE, WeightsChoice.forProfile(Profile.SAMPLE));
        var r = ImagenetWeights.require(WeightsChoice.AVAILABLE, store, List.of(KerasFile.RESNET50));
        assertEquals(1, r.size());
        assertTrue(!r.get(0).found() && r.get(0).whyNot().contains(KerasFile.RESNET50.fileName()), r.get(0).whyNot());
        assertEquals(List.of(), ImagenetWeights.require(WeightsChoice.RANDOM, store, List.of(KerasFile.RESNET50)));
    }
}
