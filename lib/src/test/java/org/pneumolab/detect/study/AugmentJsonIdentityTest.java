package org.pneumolab.detect.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

import org.pneumolab.data.DetectionSample;
import org.pneumolab.data.Layout;
import org.pneumolab.data.PipelineSpec;
import org.pneumolab.detect.DetectorTrainer;
import org.pneumolab.detect.RetinaNetConfig;
import org.pneumolab.detect.RunSpec;
import org.pneumolab.geom.Box;
import org.pneumolab.image.AugmentSpec;
import org.pneumolab.image.Interpolation;
import org.pneumolab.image.Normalization;
import org.pneumolab.io.Digests;
import org.pneumolab.runtime.Profile;

/**
 * The augmentation's JSON is written by one method ({@link AugmentSpec#toJson}) for both a run's
 * {@code config.json} and a study's {@code study.json}. Moving it there must not rename a single run
 * folder: the digests below were computed from the code before the move (commit c5480fb, where
 * RunSpec and StudySpec each wrote the six fields themselves), so a changed field name, order or
 * number format fails here before it orphans every trained run.
 */
class AugmentJsonIdentityTest {
    /** Every augmentation field non-zero and distinct, so a swapped or dropped field changes the JSON. */
    private static final AugmentSpec AUGMENT = new AugmentSpec(0.5, 3, 0.1, 0.15, 0.2, 0.05);
    private static final List<DetectionSample> TRAIN = List.of(
            new DetectionSample("p1", Path.of("p1.dcm"), List.of(new Box(10, 20, 30, 40))),
            new DetectionSample("p2", Path.of("p2.dcm"), List.of()));

    @Test
    void aRunSpecKeepsItsIdentity() {
        RunSpec spec = new RunSpec(RetinaNetConfig.sample(3).toJson(),
                new PipelineSpec(128, 128, Interpolation.AREA, true, Normalization.IMAGENET, 1, Layout.NCHW), AUGMENT,
                new DetectorTrainer.Settings(20, 8, 3, 0), "val_x", "x on val", RunSpec.data(TRAIN, new JsonObject()).toString());
        assertEquals("950b1b6c8aff1b19df80c785d2cce1b644d91cd012e512e86136cdd830bc3427", spec.identity());
    }

    @Test
    void aStudysJsonAndRunIdentityStayTheSame() {
        // frozenNorm off: the paper profile's frozen batch norm (a later change of the model itself)
        // is written only when on, so with it off the JSON is the one computed before the move.
        StudySpec study = StudySpec.forProfile(Profile.PAPER, 2018).with(s -> s.augment(AUGMENT)
                .retinaNet(r -> r.frozenNorm(false)).fasterRcnn(f -> f.frozenNorm(false)));
        assertEquals("b96f60e2a2e65d9a655acb3c404d30c6ef7828a545ef3bd3bf2b13ab225fd44e", Digests.sha256Hex(study.toJson()));
        assertEquals("88c69275224e9da514cc0a24196156779bae93ded0a4385a48a80c7b1aacf30c", Contender.RETINANET.runSpec(study, TRAIN, DetectionData.splitJson(study))
                .identity());
        assertEquals(study, StudySpec.fromJson(study.toJson()));
    }

    @Test
    void theAugmentationReadsBackAndAMissingFieldIsNamed() {
        assertEquals(AUGMENT, AugmentSpec.fromJson(AUGMENT.toJson()));
        JsonObject noShift = AUGMENT.toJson();
        noShift.remove("maxShift");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AugmentSpec.fromJson(noShift));
        assertTrue(e.getMessage().contains("maxShift"), e.getMessage());
    }
}
