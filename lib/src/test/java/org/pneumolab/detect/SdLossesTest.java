package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The losses stay finite, with finite gradients, at the extreme logits an unlucky step produces. */
class SdLossesTest {
    private static final float[] LOGITS = {-300, -90, -20, -1, 0, 1, 20, 90, 300};

    private static Map<String, INDArray> lossAndGradient(boolean focal, float target) {
        SameDiff sd = SameDiff.create();
        int n = LOGITS.length;
        SDVariable z = sd.var("z", Nd4j.create(LOGITS, new long[] {n, 1}, 'c'));
        SDVariable t = sd.constant("t", Nd4j.valueArrayOf(new long[] {n, 1}, target, DataType.FLOAT));
        SDVariable w = sd.constant("w", Nd4j.ones(DataType.FLOAT, n, 1));
        SDVariable loss = (focal ? SdLosses.focalSum(sd, z, t, w, 0.25, 2.0) : SdLosses.bceSum(sd, z, t, w)).rename("loss");
        sd.setLossVariables("loss");
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "z");
        return Map.of("loss", sd.output(Map.of(), "loss").get("loss"), "grad", g.get("z"));
    }

    @Test
    void focalAndBceAreFiniteAndMatchTheHostFormulasAtExtremeFloatLogits() {
        for (boolean focal : new boolean[] {true, false}) {
            for (float y : new float[] {0, 1}) {
                Map<String, INDArray> r = lossAndGradient(focal, y);
                double expected = 0;
                for (float z : LOGITS) {
                    expected += focal ? HostLosses.sigmoidFocal(z, y, 0.25, 2) : HostLosses.bce(z, y);
                }
                double got = r.get("loss").getDouble(0);
                assertTrue(Double.isFinite(got), (focal ? "focal" : "bce") + " y=" + y + " loss " + got);
                assertEquals(expected, got, 1e-4 * Math.max(1, Math.abs(expected)), (focal ? "focal" : "bce") + " y=" + y);
                for (double g : r.get("grad").toDoubleVector()) {
                    assertTrue(Double.isFinite(g), (focal ? "focal" : "bce") + " y=" + y + " gradient " + r.get("grad"));
                }
            }
        }
    }
}
