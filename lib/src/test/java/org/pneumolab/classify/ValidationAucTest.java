package org.pneumolab.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The validation AUC that picks a head's kept epoch: ties count one half, as the reported test
 * metric's. ND4J's exact ROC, used before, gave 0.0 to a split whose probabilities were all tied
 * (a saturated head at paper size), so the best-epoch rule compared zeros.
 */
class ValidationAucTest {

    private static INDArray oneHot(int[] labels) {
        double[][] rows = new double[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            rows[i] = labels[i] == 1 ? new double[] {0, 1} : new double[] {1, 0};
        }
        return Nd4j.create(rows);
    }

    private static INDArray probabilities(double[] pneumonia) {
        double[][] rows = new double[pneumonia.length][];
        for (int i = 0; i < pneumonia.length; i++) {
            rows[i] = new double[] {1 - pneumonia[i], pneumonia[i]};
        }
        return Nd4j.create(rows);
    }

    @Test
    void allTiedProbabilitiesScoreOneHalf() {
        int[] y = {0, 0, 1, 1, 1};
        assertEquals(0.5, TransferModel.auc(oneHot(y), probabilities(new double[] {0.36, 0.36, 0.36, 0.36, 0.36})), 1e-12);
    }

    @Test
    void aPartialTieCountsOneHalfAndRankingsCountWhole() {
        int[] y = {0, 0, 1, 1};
        // pairs (pos, neg): 0.9>0.1, 0.9>0.5, 0.5=0.5 (one half), 0.5>0.1 -> 3.5 of 4
        assertEquals(3.5 / 4, TransferModel.auc(oneHot(y), probabilities(new double[] {0.1, 0.5, 0.9, 0.5})), 1e-12);
        assertEquals(0.0, TransferModel.auc(oneHot(y), probabilities(new double[] {0.9, 0.8, 0.1, 0.2})), 1e-12);
    }

    @Test
    void oneClassOnlyIsUndefined() {
        assertTrue(Double.isNaN(TransferModel.auc(oneHot(new int[] {1, 1, 1}), probabilities(new double[] {0.2, 0.4, 0.9}))));
    }
}
