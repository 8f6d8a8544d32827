package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

/**
 * {@link SameDiffDetector#fitBatch} keeps one training session across steps ({@link HeldSession});
 * it must train exactly as {@code SameDiff.fit} per step did: the same loss parts at every step,
 * the same weights and Adam state after them, the same iteration and epoch counters.
 */
class HeldSessionTest {

    @Test
    void stepsThroughTheHeldSessionEqualFitPerStep() {
        RetinaNetConfig c = RetinaNetConfig.paper(22).with(b -> b.backbone(InferenceCopyFixtures.SMALL_BOTTLENECK)
                .inputSize(32).fpnChannels(4).headConvs(1).anchorScale(0.5).learningRate(1e-2));
        RetinaNet held = RetinaNet.withRandomValues(c);
        RetinaNet perStep = RetinaNet.withRandomValues(c);
        LossPartsListener parts = new LossPartsListener("loss", "cls_loss", "box_loss");
        for (int step = 0; step < 4; step++) {
            var batch = SyntheticBlobs.batch(2, 32, 0.5, 100 + step);
            Map<String, Double> a = held.fitBatch(batch, step);
            perStep.graph().fit(perStep.trainingData(batch, step), parts);
            Map<String, Double> b = parts.take();
            for (String k : b.keySet()) {
                assertEquals(b.get(k), a.get(k), 1e-6 * Math.abs(b.get(k)), "step " + step + " " + k);
            }
        }
        SameDiff x = held.graph();
        SameDiff y = perStep.graph();
        for (SDVariable v : y.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                double err = x.getArrForVarName(v.name()).sub(v.getArr()).norm2Number().doubleValue()
                        / Math.max(1e-12, v.getArr().norm2Number().doubleValue());
                assertEquals(0, err, 1e-5, v.name());
            }
        }
        assertEquals(y.getTrainingConfig().getIterationCount(), x.getTrainingConfig().getIterationCount());
        assertEquals(y.getTrainingConfig().getEpochCount(), x.getTrainingConfig().getEpochCount());
    }
}
