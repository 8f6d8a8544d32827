package org.pneumolab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Both detectors report losses through this: in their order, total filled in, missing as NaN. */
class LossPartsListenerTest {
    @Test
    void takeOrdersFillsTheTotalAndClears() {
        var parts = new LossPartsListener("loss", "cls_loss", "box_loss", "rpn_cls_loss");
        parts.activationAvailable(null, null, null, null, "box_loss", Nd4j.scalar(0.25));
        parts.activationAvailable(null, null, null, null, "cls_loss", Nd4j.scalar(1.0));
        parts.activationAvailable(null, null, null, null, "not_a_part", Nd4j.scalar(9.0));
        Map<String, Double> got = parts.take();
        assertEquals(List.of("loss", "cls_loss", "box_loss", "rpn_cls_loss"), List.copyOf(got.keySet()));
        assertEquals(1.25, got.get("loss"), 1e-12);
        assertTrue(Double.isNaN(got.get("rpn_cls_loss")));
        assertTrue(parts.take().values().stream().allMatch(v -> Double.isNaN(v)), "take() clears");
    }

    @Test
    void inferenceOutputsAreOrderedLikeTraining() {
        var parts = new LossPartsListener("loss", "cls_loss", "box_loss");
        var got = parts.fromOutputs(Map.of("box_loss", Nd4j.scalar(2.0), "loss", Nd4j.scalar(3.0),
                "cls_loss", Nd4j.scalar(1.0)));
        assertEquals(List.of("loss", "cls_loss", "box_loss"), List.copyOf(got.keySet()));
        assertEquals(List.of(3.0, 1.0, 2.0), List.copyOf(got.values()));
    }
}
