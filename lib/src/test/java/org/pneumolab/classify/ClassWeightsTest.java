package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassWeightsTest {
    /** Hand computation: mean over examples of -w[y] * log softmax(z)[y]. */
    private static double handLoss(double[][] logits, int[] y, double[] w) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double a = Math.exp(logits[i][0]);
            double b = Math.exp(logits[i][1]);
            double p = (y[i] == 0 ? a : b) / (a + b);
            sum += -w[y[i]] * Math.log(p);
        }
        return sum / y.length;
    }

    @Test
    void weightedLossWeightsEachExampleByItsClass() {
        double[][] logits = {{2.0, -1.0}, {0.3, 0.1}, {-0.5, 1.5}, {1.0, 1.2}};
        int[] y = {0, 1, 1, 0};
        INDArray z = Nd4j.create(logits).castTo(DataType.FLOAT);
        INDArray labels = FeatureSet.oneHot(y);
        ClassWeights seed = ClassWeights.published();
        double got = seed.loss().computeScore(labels, z, new ActivationSoftmax(), null, true);
        assertEquals(handLoss(logits, y, new double[]{2.89, 1}), got, 1e-5);
        double reversed = seed.reversed().loss().computeScore(labels, z, new ActivationSoftmax(), null, true);
        assertEquals(handLoss(logits, y, new double[]{1, 2.89}), reversed, 1e-5);
        double none = ClassWeights.none().loss().computeScore(labels, z, new ActivationSoftmax(), null, true);
        assertEquals(handLoss(logits, y, new double[]{1, 1}), none, 1e-5);
    }

    @Test
    void headOutputUsesTheClassWeightedLoss() {
        var head = Head.graph(new long[]{8, 1, 1}, new ClassWeights(3, 0.5), 1e-4, 1);
        var out = (BaseOutputLayer) head.getLayer(Head.OUTPUT).conf().getLayer();
        INDArray z = Nd4j.create(new double[][]{{0.2, 0.7}}).castTo(DataType.FLOAT);
        double normal = out.getLossFn().computeScore(FeatureSet.oneHot(new int[]{0}), z, new ActivationSoftmax(), null, true);
        assertEquals(handLoss(new double[][]{{0.2, 0.7}}, new int[]{0}, new double[]{3, 0.5}), normal, 1e-5);
    }

    @Test
    void ratiosFromLabelCounts() {
        INDArray labels = Nd4j.create(new double[]{1, 1, 1, 0, 1, 1, 0, 1});
        assertEquals(3.0, ClassWeights.imbalanceRatio(labels), 1e-12);
        assertEquals(new ClassWeights(3.0, 1), ClassWeights.balancing(labels));
        assertEquals(3.0, ClassWeights.imbalanceRatio(FeatureSet.oneHot(new int[]{1, 1, 1, 0})), 1e-12);
        // Kermany train: 3875 pneumonia / 1341 normal = 2.89
        assertEquals(2.89, 3875.0 / 1341.0, 0.005);
        assertEquals(List.of(new ClassWeights(0.5, 1), new ClassWeights(2.89, 1)), ClassWeights.sweep(0.5, 2.89));
        assertThrows(IllegalArgumentException.class, () -> new ClassWeights(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ClassWeights.counts(Nd4j.create(new double[]{0, 2})));
    }
}
