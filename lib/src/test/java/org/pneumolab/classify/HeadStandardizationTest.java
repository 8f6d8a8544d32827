package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The standardising head: statistics by hand, the frozen first layer computes (x - mean) / std
 * with the training split's numbers, stays fixed while the rest trains, and the published study's head
 * (FeatureScaling.NONE) has no such layer.
 */
class HeadStandardizationTest {
    /** Two examples of [2 channels, 1, 1]: feature 0 = {1, 3}, feature 1 = {2, 6}, and a constant. */
    private static INDArray features() {
        return Nd4j.createFromArray(new float[]{1, 2, 5, 3, 6, 5}).reshape(2, 3, 1, 1);
    }

    @Test
    void statisticsByHand() {
        FeatureStatistics s = FeatureStatistics.of(features());
        assertArrayEquals(new double[]{2, 4, 5}, s.mean(), 1e-12);
        // population std: |1-2| = |3-2| = 1; |2-4| = |6-4| = 2; the constant feature gets 1
        assertArrayEquals(new double[]{1, 2, 1}, s.std(), 1e-12);
        assertArrayEquals(new double[]{1, 0.5, 1}, s.scale(), 1e-12);
        assertArrayEquals(new double[]{-2, -2, -5}, s.shift(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new FeatureStatistics(new double[]{0}, new double[]{0}));
    }

    @Test
    void statisticsAreStableAndRejectNonFiniteActivations() {
        // 300 examples (three blocks of rows): a large mean with a small spread, and a feature
        // that is constant up to float rounding.
        float[] v = new float[300 * 2];
        for (int i = 0; i < 300; i++) {
            v[2 * i] = 1000f + (i % 2 == 0 ? 0.5f : -0.5f);
            v[2 * i + 1] = 0.6f;
        }
        FeatureStatistics s = FeatureStatistics.of(Nd4j.createFromArray(v).reshape(300, 2, 1, 1));
        assertArrayEquals(new double[]{1000, 0.6}, s.mean(), 1e-6);
        assertArrayEquals(new double[]{0.5, 1}, s.std(), 1e-9);

        v[7] = Float.NaN;
        var e = assertThrows(IllegalArgumentException.class,
                () -> FeatureStatistics.of(Nd4j.createFromArray(v).reshape(300, 2, 1, 1)));
        assertTrue(e.getMessage().startsWith("activation 1 is not finite"), e.getMessage());
    }

    @Test
    void firstLayerStandardisesWithTrainStatisticsAndStaysFrozen() {
        var head = Head.graph(new long[]{3, 1, 1}, ClassWeights.none(), 1e-2, FeatureScaling.STANDARDIZE, 7);
        assertEquals(List.of(Head.STANDARDIZE, Head.DENSE, Head.DROPOUT, Head.BATCH_NORM, Head.OUTPUT),
                Head.layerNames(head));
        Head.standardizeWith(head, FeatureStatistics.of(features()));

        INDArray x = Nd4j.createFromArray(new float[]{4, 0, 5}).reshape(1, 3, 1, 1);
        INDArray z = head.feedForward(x, false).get(Head.STANDARDIZE);
        // (4 - 2) / 1, (0 - 4) / 2, (5 - 5) / 1
        assertArrayEquals(new float[]{2, -2, 0}, z.toFloatVector(), 1e-6f);

        INDArray before = head.getLayer(Head.STANDARDIZE).params().dup();
        INDArray dense = head.getLayer(Head.DENSE).params().dup();
        INDArray labels = Nd4j.createFromArray(new float[]{1, 0, 0, 1}).reshape(2, 2);
        for (int i = 0; i < 5; i++) {
            head.fit(new DataSet(features(), labels));
        }
        assertEquals(before, head.getLayer(Head.STANDARDIZE).params(), "frozen layer unchanged by training");
        assertNotEquals(dense, head.getLayer(Head.DENSE).params(), "the dense layer trains");
        assertEquals(6, ParameterCounts.of(head).frozen(), "W and b of 3 activations are frozen");
    }

    @Test
    void seedHeadHasNoStandardisingLayer() {
        var head = Head.graph(new long[]{3, 1, 1}, ClassWeights.none(), 1e-2, 7);
        assertEquals(FeatureScaling.NONE, Head.scaling(head));
        assertEquals(Head.LAYERS, Head.layerNames(head));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Head.standardizeWith(head, FeatureStatistics.of(features())));
        assertTrue(e.getMessage().contains(Head.STANDARDIZE));
    }

    @Test
    void fitHeadTakesStatisticsFromTheTrainingFeatures() {
        Backbone vgg = Backbones.vgg16(32, 3).cutAt("block3_pool", "block3_conv3");
        TransferModel m = TransferModel.create(vgg, ClassWeights.none(), 1e-4, FeatureScaling.STANDARDIZE, 3);
        INDArray pixels = Nd4j.rand(DataType.FLOAT, 6, 3, 32, 32).muli(255);
        FeatureSet train = new FeatureSet(Featurizer.bottleneck(vgg).activations(pixels),
                FeatureSet.oneHot(new int[]{0, 1, 0, 1, 0, 1}));
        m.fitHead(train, null, new TransferModel.Fit(1, 3, 1));
        FeatureStatistics expected = FeatureStatistics.of(train.features());
        INDArray w = m.head().getLayer(Head.STANDARDIZE).getParam("W");
        assertArrayEquals(expected.scale(), w.castTo(DataType.DOUBLE).toDoubleVector(), 1e-3);
        // Raw pixels through base + standardising head = cached features through the head.
        assertArrayEquals(m.scoresFromFeatures(train.features()), m.scores(pixels), 1e-5);
        // The assembled whole model keeps the layer, frozen, with the same weights.
        var full = m.assemble();
        assertEquals(w, full.getLayer(Head.STANDARDIZE).getParam("W"));
        assertArrayEquals(m.scores(pixels),
                full.outputSingle(false, vgg.preprocessing().apply(pixels)).getColumn(1).toDoubleVector(), 1e-5);
    }
}
