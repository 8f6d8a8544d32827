package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class FeatureCacheTest {
    @Test
    void secondRunReadsTheCacheAndKeyChangesRecompute(@TempDir Path dir) throws Exception {
        Backbone vgg = Backbones.vgg16(32, 5);
        SyntheticBlobs data = SyntheticBlobs.generate(6, 32, 9);
        var iterator = new ListDataSetIterator<>(new DataSet(data.images(), data.oneHot()).asList(), 4);
        Featurizer featurizer = Featurizer.bottleneck(vgg);
        FeatureCache cache = new FeatureCache(dir.resolve("cache"));
        DataIdentity identity = DataIdentity.ofArrays(data.images(), data.oneHot());
        FeatureKey key = FeatureKey.of(vgg, vgg.outputVertex(), identity);

        FeatureSet first = cache.getOrCompute(key, () -> featurizer.extract(iterator, "cache test"));
        assertEquals(2, featurizer.batchesRun());
        assertTrue(Files.isRegularFile(cache.fileFor(key)));
        FeatureSet second = cache.getOrCompute(key, () -> featurizer.extract(iterator, "cache test"));
        assertEquals(2, featurizer.batchesRun(), "a cache hit must not run the base");
        assertEquals(first.features(), second.features());
        assertEquals(first.labels(), second.labels());

        // Another preprocessing, layer, or data set is another key.
        FeatureKey otherPrep = FeatureKey.of(vgg.withPreprocessing(Preprocessing.CAFFE), vgg.outputVertex(), identity);
        FeatureKey otherLayer = FeatureKey.of(vgg, "block5_conv3", identity);
        SyntheticBlobs changed = SyntheticBlobs.generate(6, 32, 10);
        FeatureKey otherData = FeatureKey.of(vgg, vgg.outputVertex(), DataIdentity.ofArrays(changed.images(), changed.oneHot()));
        for (FeatureKey k : List.of(otherPrep, otherLayer, otherData)) {
            assertNotEquals(key.fileStem(), k.fileStem());
        }
        cache.getOrCompute(otherData, () -> featurizer.extract(iterator, "cache test"));
        assertEquals(4, featurizer.batchesRun(), "a changed key must recompute");

        // A damaged file is reported and recomputed, not trusted.
        Files.write(cache.fileFor(key), new byte[]{1, 2, 3});
        FeatureSet third = cache.getOrCompute(key, () -> featurizer.extract(iterator, "cache test"));
        assertEquals(6, featurizer.batchesRun());
        assertEquals(first.features(), third.features());
    }

    @Test
    void fileIdentityChangesWhenAFileChanges(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.jpeg"), "aaa");
        Path b = Files.writeString(dir.resolve("b.jpeg"), "bbb");
        DataIdentity before = DataIdentity.ofFiles(List.of(b, a));
        assertEquals(before, DataIdentity.ofFiles(List.of(a, b)), "order of listing does not matter");
        Files.writeString(b, "bbbb");
        assertNotEquals(before.digest(), DataIdentity.ofFiles(List.of(a, b)).digest());
    }
}
