package org.pneumolab.weights;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.pneumolab.classify.study.KermanyStudy;
import org.pneumolab.classify.study.StudyConfig;
import org.pneumolab.data.DataConfig;
import org.pneumolab.data.ProblemLog;
import org.pneumolab.detect.study.DetectionStudy;
import org.pneumolab.detect.study.StudySpec;
import org.pneumolab.runtime.Profile;

/**
 * Where the study entry points stand without ImageNet files (this machine; skipped where the
 * files or the zoo's zips are present): the paper profile's Kermany study and detection study
 * stop when opened, before any data is read, with the one message; RANDOM and the sample profile
 * go on.
 */
class StudyWeightsGuardTest {
    private static void assumeNoImagenetFiles() {
        WeightStore store = WeightStore.standard();
        for (KerasFile k : KerasFile.values()) {
            assumeTrue(store.find(k.fileName()).isEmpty(), "ImageNet files present: " + k.fileName());
        }
        for (ZooFile z : ZooFile.values()) {
            assumeTrue(!Files.exists(z.localFile()), "zoo file present: " + z.localFile());
        }
    }

    @Test
    void paperKermanyStudyStopsBeforeReadingData() {
        assumeNoImagenetFiles();
        var e = assertThrows(ImagenetWeights.MissingWeights.class, () -> KermanyStudy.open(
                StudyConfig.forProfile(Profile.PAPER, 1), DataConfig.load(), ProblemLog.toStderr()));
        assertTrue(e.getMessage().contains(KerasFile.VGG16.fileName()) && e.getMessage().contains(KerasFile.INCEPTION_V3.fileName())
                && e.getMessage().contains("bin/pneumo weights") && e.getMessage().contains("WeightsChoice.RANDOM"), e.getMessage());
        assertDoesNotThrow(() -> KermanyStudy.requireWeights(WeightsChoice.RANDOM));
        assertDoesNotThrow(() -> KermanyStudy.requireWeights(WeightsChoice.forProfile(Profile.SAMPLE)));
    }

    @Test
    void paperDetectionStudyStopsUnlessRandomOnPurpose() {
        assumeNoImagenetFiles();
        var e = assertThrows(ImagenetWeights.MissingWeights.class,
                () -> DetectionStudy.requireWeights(StudySpec.forProfile(Profile.PAPER, 1)));
        assertTrue(e.getMessage().contains(KerasFile.RESNET50.fileName()), e.getMessage());
        assertDoesNotThrow(() -> DetectionStudy.requireWeights(
                StudySpec.forProfile(Profile.PAPER, 1).with(s -> s.weights(WeightsChoice.RANDOM))));
        assertDoesNotThrow(() -> DetectionStudy.requireWeights(StudySpec.forProfile(Profile.SAMPLE, 1)));
    }
}
