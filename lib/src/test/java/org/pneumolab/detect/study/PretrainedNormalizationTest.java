package org.pneumolab.detect.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pneumolab.image.Normalization;
import org.pneumolab.runtime.Profile;
import org.pneumolab.weights.WeightsChoice;

/**
 * The ImageNet ResNet50 copy folds ImageNet normalisation into its first convolution, so a
 * pretrained spec with another normalisation would train on inputs the weights never saw: refused
 * when the spec is built, naming both ways out; from random weights any normalisation is fine.
 */
class PretrainedNormalizationTest {

    @Test
    void pretrainedBackboneRefusesAnotherNormalisation() {
        StudySpec paper = StudySpec.forProfile(Profile.PAPER, 1);
        assertTrue(paper.retinaNet().pretrained() || paper.fasterRcnn().pretrained(), "the paper profile is pretrained");
        var e = assertThrows(IllegalArgumentException.class,
                () -> paper.with(b -> b.normalization(Normalization.UNIT)));
        assertTrue(e.getMessage().contains("UNIT") && e.getMessage().contains("weights(RANDOM)"), e.getMessage());
    }

    @Test
    void randomInitTakesAnyNormalisation() {
        StudySpec s = StudySpec.forProfile(Profile.PAPER, 1)
                .with(b -> b.weights(WeightsChoice.RANDOM).normalization(Normalization.UNIT));
        assertEquals(Normalization.UNIT, s.normalization());
    }
}
